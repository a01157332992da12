using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using AppMsg.Edge.Tls;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>
/// A device that reconnects resumes its TLS session: no certificate, no signature, a cheaper handshake on both ends.
/// Each test uses a server name of its own, so the platform's client cache (one session per name) holds nothing
/// from other tests.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class TlsResumptionTests(TlsRunningSystem system) : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task A_reconnecting_device_resumes_its_session_and_the_edge_counts_it(SslProtocols protocol)
    {
        Assert.True(TlsResumption.Available);
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var name = $"resume-{Guid.NewGuid():N}.test";
        var before = await ScrapeAsync();

        var first = await ConnectAndRegisterAsync(protocol, name, userId, token);
        var second = await ConnectAndRegisterAsync(protocol, name, userId, token);

        Assert.Equal((false, true), (first.Resumed, second.Resumed));
        // The certificate is still judged on a resumed connection (a pin still applies): the session carries it.
        Assert.Equal(TestCertificate.Sha256(system.Certificate), second.Certificate);
        var after = await Eventually.ReturnsAsync(ScrapeAsync,
            m => Grown(before, m, "session=\"resumed\"") >= 1 && Grown(before, m, "session=\"full\"") >= 1,
            TimeSpan.FromSeconds(15), "the resumed and the full handshake in the edge's metrics");
        Assert.True(Grown(before, after, "session=\"resumed\"") >= 1);
    }

    [Fact]
    public async Task A_new_name_is_a_full_handshake()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);

        await ConnectAndRegisterAsync(SslProtocols.Tls13, $"resume-{Guid.NewGuid():N}.test", userId, token);
        var other = await ConnectAndRegisterAsync(SslProtocols.Tls13, $"resume-{Guid.NewGuid():N}.test", userId, token);

        Assert.False(other.Resumed);
    }

    public void Dispose() => http.Dispose();

    /// <summary>Connects, registers (so a TLS 1.3 device has read the tickets the edge sends after the handshake), and closes.</summary>
    private async Task<(bool? Resumed, string? Certificate)> ConnectAndRegisterAsync(SslProtocols protocol, string name, string userId, string token)
    {
        var served = new CertificateSeen();
        await using var device = await RawDevice.ConnectTlsAsync(system.TlsTcpPort, served.Accept, protocol, name);
        Assert.Equal(protocol, device.Tls!.SslProtocol);
        Assert.Equal(0, (await device.RegisterAsync(userId, token)).Code);
        return (TlsResumption.IsResumed(device.Tls!), served.Sha256);
    }

    private static double Grown(PrometheusText before, PrometheusText after, string label) =>
        after.Sum("appmsg_edge_tls_handshakes_total", label) - before.Sum("appmsg_edge_tls_handshakes_total", label);

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }
}
