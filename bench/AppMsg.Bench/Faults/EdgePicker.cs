using System.Text.Json;

namespace AppMsg.Bench.Faults;

/// <summary>
/// The dispatcher as a device uses it: <c>GET /v1/edges/pick?terminalType=1</c> on one edge after the other (a device
/// knows the addresses of its service, not which edge is up), answering the picked edge's binary endpoint.
/// </summary>
public sealed class EdgePicker(IReadOnlyList<Uri> edges) : IDisposable
{
    private static readonly Uri PickPath = new("/v1/edges/pick?terminalType=1", UriKind.Relative);
    private readonly HttpClient http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(3) };
    private int next;

    /// <summary>The picked edge's <c>host:port</c>, or null when no edge answered.</summary>
    public async Task<string?> PickTcpAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < edges.Count; attempt++)
        {
            var edge = edges[(int)((uint)Interlocked.Increment(ref next) % (uint)edges.Count)];
            try
            {
                using var response = await http.GetAsync(new Uri(edge, PickPath), cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }

                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                if (json.RootElement.TryGetProperty("tcp", out var tcp) && tcp.GetString() is { Length: > 0 } endpoint)
                {
                    return endpoint;
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }
        }

        return null;
    }

    public void Dispose() => http.Dispose();
}
