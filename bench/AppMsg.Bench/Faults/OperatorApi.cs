using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AppMsg.Bench.Faults;

/// <summary>The HTTP API of each edge, as the operator (admin key).</summary>
public sealed class OperatorApi : IDisposable
{
    private readonly HttpClient[] edges;

    public OperatorApi(IReadOnlyList<Uri> edgeAddresses, string adminKey, TimeSpan timeout)
    {
        edges = [.. edgeAddresses.Select(address =>
        {
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = address,
                Timeout = timeout,
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            return http;
        })];
    }

    public int EdgeCount => edges.Length;

    public HttpClient Edge(int index) => edges[index];

    /// <summary>POSTs JSON to edge <paramref name="edge"/> and returns the answer's JSON; throws on a non-success status.</summary>
    public async Task<JsonDocument> PostAsync(int edge, string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await edges[edge].PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text) : throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    }

    /// <summary>PUTs without a body; throws on a non-success status.</summary>
    public async Task PutAsync(int edge, string path, CancellationToken cancellationToken)
    {
        using var response = await edges[edge].PutAsync(new Uri(path, UriKind.Relative), content: null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public void Dispose()
    {
        foreach (var http in edges)
        {
            http.Dispose();
        }
    }
}
