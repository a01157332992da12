using System.Net;
using System.Net.WebSockets;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

[Collection(TlsCollection.Name)]
public sealed class BrowserSecurityTests(TlsRunningSystem system)
{
    [Fact]
    public async Task A_preflight_from_the_allowed_origin_is_answered_and_one_from_another_origin_is_not()
    {
        using var http = new HttpClient();

        using var allowed = await http.SendAsync(Preflight(TlsRunningSystem.AllowedOrigin));
        using var other = await http.SendAsync(Preflight("https://evil.example.com"));

        Assert.True(allowed.IsSuccessStatusCode, $"allowed preflight: {(int)allowed.StatusCode}");
        Assert.Equal(TlsRunningSystem.AllowedOrigin, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_WebSocket_from_another_origin_is_refused_while_the_allowed_origin_and_devices_without_one_are_accepted()
    {
        var uri = new Uri($"ws://127.0.0.1:{system.EdgeSettings.HttpPort}/ws");

        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Origin", "https://evil.example.com");
            await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(uri, default));
        }

        using (var browser = new ClientWebSocket())
        {
            browser.Options.SetRequestHeader("Origin", TlsRunningSystem.AllowedOrigin);
            await browser.ConnectAsync(uri, default);
            Assert.Equal(WebSocketState.Open, browser.State);
        }

        using var device = new ClientWebSocket();
        await device.ConnectAsync(uri, default);
        Assert.Equal(WebSocketState.Open, device.State);
    }

    [Fact]
    public async Task Answers_carry_the_security_headers_and_HTTPS_ones_HSTS()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            certificate is not null && TestCertificate.Sha256(certificate) == TestCertificate.Sha256(system.Certificate) };
        using var http = new HttpClient(handler);

        using var plain = await http.GetAsync(new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/healthz"));
        using var refused = await http.GetAsync(new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/v1/users/nobody"));
        using var secure = await http.GetAsync(new Uri($"https://127.0.0.1:{system.HttpsPort}/healthz"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        foreach (var response in new[] { plain, refused, secure })
        {
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }

        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.StartsWith("max-age=", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    private HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/v1/messages"));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
