using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace AppMsg.Directory.Tests;

/// <summary>
/// Posts logins to an edge from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...), so that each
/// test is its own client address to the per-address throttle.
/// </summary>
public sealed class LoginClient(IPAddress source) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    public sealed record Answer(HttpStatusCode Status, string? Code, int? RetryAfterSeconds);

    public async Task<Answer> LoginAsync(int httpPort, string tenantId, string username, string password)
    {
        using var response = await http.PostAsJsonAsync($"http://127.0.0.1:{httpPort}/v1/auth/login", new { tenantId, username, password, terminalType = 1 });
        var text = await response.Content.ReadAsStringAsync();
        string? code = null;
        if (text.StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var element))
        {
            code = element.GetString();
        }

        return new Answer(response.StatusCode, code, response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null);
    }

    public void Dispose() => http.Dispose();
}
