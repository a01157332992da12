using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using AppMsg.Testing;

namespace AppMsg.Client.Tests;

/// <summary>The client over TLS (<c>tls://</c> and <c>wss://</c>) against a real edge with a self-signed certificate.</summary>
public sealed class TlsClientTests(TlsRunningSystem system) : IClassFixture<TlsRunningSystem>
{
    private readonly DeviceAccounts accounts = new(system);

    public static TheoryData<DeviceTransportKind> Transports => new()
    {
        DeviceTransportKind.Tcp,
        DeviceTransportKind.WebSocketBinary,
        DeviceTransportKind.WebSocketJson,
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task With_the_certificate_pinned_it_registers_and_gets_a_push(DeviceTransportKind transport)
    {
        var (userId, token) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(TlsOptions(transport, userId, token) with
        {
            PinnedCertificateSha256 = TestCertificate.Sha256(system.Certificate),
        });

        await client.ConnectAsync();
        await system.WaitUntilLiveAsync(userId);
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "pinned" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);

        var push = await client.NextAsync<PushEvent>();
        Assert.Contains("pinned", Encoding.UTF8.GetString(push.Envelope.Span), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_public_key_pin_with_colons_is_accepted_too(DeviceTransportKind transport)
    {
        var (userId, token) = await accounts.NewUserAsync();
        var publicKeyPin = Convert.ToHexString(SHA256.HashData(system.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        await using var client = new DeviceClient(TlsOptions(transport, userId, token) with
        {
            PinnedCertificateSha256 = string.Join(':', publicKeyPin.Chunk(2).Select(pair => new string(pair))).ToLowerInvariant(),
        });

        Assert.Equal(Protocol.RegisterResultCode.Ok, (await client.ConnectAsync()).Code);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_wrong_pin_is_refused(DeviceTransportKind transport)
    {
        var (userId, token) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(TlsOptions(transport, userId, token) with
        {
            PinnedCertificateSha256 = TestCertificate.Sha256(TestCertificate.Create("someone-else")),
        });

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync());

        Assert.True(IsCertificateRefusal(refused), refused.ToString());
        Assert.NotEqual(DeviceClientState.Registered, client.State);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Without_a_pin_a_self_signed_certificate_fails_the_platforms_validation(DeviceTransportKind transport)
    {
        var (userId, token) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(TlsOptions(transport, userId, token));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync());

        Assert.True(IsCertificateRefusal(refused), refused.ToString());
    }

    [Fact]
    public async Task A_client_reconnecting_by_host_name_resumes_its_session_and_a_resumed_connection_still_checks_the_pin()
    {
        var (userId, token) = await accounts.NewUserAsync();
        var byName = TlsOptions(DeviceTransportKind.Tcp, userId, token) with
        {
            // The platform keeps sessions per host name (none for an address): only a named endpoint can resume.
            Endpoint = $"tls://localhost:{system.TlsTcpPort}",
            PinnedCertificateSha256 = TestCertificate.Sha256(system.Certificate),
        };
        await using (var first = new DeviceClient(byName))
        {
            Assert.Equal(Protocol.RegisterResultCode.Ok, (await first.ConnectAsync()).Code);
        }

        var before = await ResumedHandshakesAsync();
        await using (var second = new DeviceClient(byName))
        {
            Assert.Equal(Protocol.RegisterResultCode.Ok, (await second.ConnectAsync()).Code);
        }

        await Eventually.ReturnsAsync(ResumedHandshakesAsync, resumed => resumed > before, TimeSpan.FromSeconds(15), "the second connection counted as resumed by the edge");
        await using var wrongPin = new DeviceClient(byName with { PinnedCertificateSha256 = TestCertificate.Sha256(TestCertificate.Create("someone-else")) });
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => wrongPin.ConnectAsync());
        Assert.True(IsCertificateRefusal(refused), refused.ToString());
    }

    [Fact]
    public void A_pin_that_is_not_a_SHA_256_is_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new DeviceClient(TlsOptions(DeviceTransportKind.Tcp, "u", "t") with { PinnedCertificateSha256 = "abcd" }));
    }

    private DeviceClientOptions TlsOptions(DeviceTransportKind transport, string userId, string token) =>
        accounts.Options(transport, userId, token) with
        {
            Endpoint = transport == DeviceTransportKind.Tcp ? $"tls://127.0.0.1:{system.TlsTcpPort}" : $"wss://127.0.0.1:{system.HttpsPort}/ws",
            Reconnect = false,
        };

    private async Task<double> ResumedHandshakesAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/metrics"));
        return new PrometheusText(text).Sum("appmsg_edge_tls_handshakes_total", "session=\"resumed\"");
    }

    private static bool IsCertificateRefusal(Exception e) =>
        e is AuthenticationException || (e.InnerException is { } inner && IsCertificateRefusal(inner));
}
