using System.Globalization;
using System.Net.Http.Headers;

namespace AppMsg.Grains.Backends;

/// <summary>The silo's one HTTP client for webhooks: pooled connections, a time limit per request, never a throw.</summary>
public sealed class WebhookSender(TimeProvider clock) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AllowAutoRedirect = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>POSTs a signed body; null when the webhook answered 2xx, else why not.</summary>
    public async Task<string?> PostAsync(Uri url, string secret, byte[] body, string deliveryId, int attempt, TimeSpan timeout)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId);
        request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {timeout.TotalMilliseconds:0} ms";
        }
        catch (HttpRequestException e)
        {
            return $"connection failed: {e.Message}";
        }
    }

    public void Dispose() => http.Dispose();
}
