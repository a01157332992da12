using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

[Collection(TlsCollection.Name)]
public sealed class EdgeTlsTests(TlsRunningSystem system)
{
    [Fact]
    public async Task The_binary_protocol_over_TLS_serves_the_certificate_registers_and_gets_a_push()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var served = new CertificateSeen();
        await using var device = await RawDevice.ConnectTlsAsync(system.TlsTcpPort, served.Accept);

        Assert.Equal(TestCertificate.Sha256(system.Certificate), served.Sha256);
        Assert.Equal(0, (await device.RegisterAsync(userId, token)).Code);
        await system.WaitUntilLiveAsync(userId);
        await SendTextAsync(userId, "over tls");
        var push = await device.ReceiveAsync();
        Assert.Equal(MessageType.Push, push.Type);
        using var envelope = JsonDocument.Parse(push.Body.AsMemory(3));
        Assert.Equal("over tls", envelope.RootElement.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Wss_on_the_HTTPS_port_registers_and_gets_a_push()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var served = new CertificateSeen();
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = served.Accept;
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{system.HttpsPort}/ws"), default);
        Assert.Equal(TestCertificate.Sha256(system.Certificate), served.Sha256);

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.WriteRegister(output, BodyEncoding.None, 5, new RegisterRequest(1, TerminalType.Android, userId, token));
        await socket.SendAsync(output.WrittenMemory, WebSocketMessageType.Binary, true, default);
        var regresp = await ReceiveFrameAsync(socket);
        Assert.Equal(MessageType.RegResp, regresp.Type);
        Assert.Equal(0, regresp.Body[0]);
        await system.WaitUntilLiveAsync(userId);
        await SendTextAsync(userId, "over wss");

        var push = await ReceiveFrameAsync(socket);
        Assert.Equal(MessageType.Push, push.Type);
        using var envelope = JsonDocument.Parse(push.Body.AsMemory(3));
        Assert.Equal("over wss", envelope.RootElement.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_certificate_replaced_on_disk_is_served_to_the_next_connection_while_an_open_one_stays_up()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var before = TestCertificate.Sha256(system.Certificate);
        await using var open = await RawDevice.ConnectTlsAsync(system.TlsTcpPort, new CertificateSeen().Accept);
        Assert.Equal(0, (await open.RegisterAsync(userId, token)).Code);

        var after = TestCertificate.Sha256(system.ReplaceCertificate("appmsg-test-replaced"));

        Assert.NotEqual(before, after);
        await Eventually.ReturnsAsync(ServedOverTcpAsync, served => served == after, TimeSpan.FromSeconds(15), "the replaced certificate on the binary TLS port");
        await Eventually.ReturnsAsync(ServedOverHttpsAsync, served => served == after, TimeSpan.FromSeconds(15), "the replaced certificate on the HTTPS port");
        var pong = await open.PingAsync(tid: 9);
        Assert.Equal(MessageType.Pong, pong.Type);
        Assert.Equal(9u, pong.Tid);
    }

    [Fact]
    public async Task TLS_1_1_is_refused_and_TLS_1_2_accepted()
    {
        await using (var tls12 = await RawDevice.ConnectTlsAsync(system.TlsTcpPort, new CertificateSeen().Accept, SslProtocols.Tls12))
        {
            Assert.Equal(MessageType.Pong, (await tls12.PingAsync()).Type);
        }

        if (!await PlatformSpeaksTls11Async())
        {
            // This machine's TLS library cannot negotiate TLS 1.1 at all, so a refusal here would prove nothing about the edge.
            return;
        }

#pragma warning disable SYSLIB0039 // TLS 1.1 is obsolete: that is what this test is about.
        await Assert.ThrowsAnyAsync<Exception>(() => RawDevice.ConnectTlsAsync(system.TlsTcpPort, new CertificateSeen().Accept, SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
    }

    [Fact]
    public async Task Login_and_the_dispatcher_name_the_TLS_endpoints_beside_the_plain_ones()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var user = (await system.Api.GetAsync($"/v1/users/{userId}", system.AdminKey)).Expect(HttpStatusCode.OK);
        var login = (await system.Api.PostAsync("/v1/auth/login", new { tenantId, username = user["username"], password = "correct horse", terminalType = 1 }))
            .Expect(HttpStatusCode.OK);

        var edge = login.Body.GetProperty("edge");
        Assert.Equal($"127.0.0.1:{system.TcpPort}", edge.GetProperty("tcp").GetString());
        Assert.Equal($"ws://127.0.0.1:{system.EdgeSettings.HttpPort}/ws", edge.GetProperty("ws").GetString());
        Assert.Equal($"tls://127.0.0.1:{system.TlsTcpPort}", edge.GetProperty("tcpTls").GetString());
        Assert.Equal($"wss://127.0.0.1:{system.HttpsPort}/ws", edge.GetProperty("wss").GetString());
        var picked = await Eventually.ReturnsAsync(
            () => system.Api.GetAsync("/v1/edges/pick"), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "a picked edge");
        Assert.Equal($"tls://127.0.0.1:{system.TlsTcpPort}", picked["tcpTls"]);
        Assert.Equal($"wss://127.0.0.1:{system.HttpsPort}/ws", picked["wss"]);
        Assert.Equal($"127.0.0.1:{system.TcpPort}", picked["tcp"]);
    }

    [Fact]
    public async Task A_burst_of_pushes_arrives_whole_and_in_order_over_binary_TLS_and_over_wss()
    {
        const int Messages = 120;
        var (tlsTenant, tlsUser) = await system.NewUserAsync();
        var (wssTenant, wssUser) = await system.NewUserAsync();
        await using var device = await RawDevice.ConnectTlsAsync(system.TlsTcpPort, new CertificateSeen().Accept);
        Assert.Equal(0, (await device.RegisterAsync(tlsUser, await system.LoginAsync(tlsTenant, tlsUser))).Code);
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = new CertificateSeen().Accept;
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{system.HttpsPort}/ws"), default);
        var register = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.WriteRegister(register, BodyEncoding.None, 5, new RegisterRequest(1, TerminalType.Android, wssUser, await system.LoginAsync(wssTenant, wssUser)));
        await socket.SendAsync(register.WrittenMemory, WebSocketMessageType.Binary, true, default);
        Assert.Equal(0, (await ReceiveFrameAsync(socket)).Body[0]);
        await system.WaitUntilLiveAsync(tlsUser);
        await system.WaitUntilLiveAsync(wssUser);

        var sending = Task.WhenAll(SendBurstAsync(tlsUser, Messages), SendBurstAsync(wssUser, Messages));
        var overTls = ReceiveBurstAsync(() => device.ReceiveAsync(TimeSpan.FromSeconds(20)), Messages);
        var overWss = ReceiveBurstAsync(() => ReceiveFrameAsync(socket), Messages);
        await sending;

        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"burst {i}").Order(), (await overTls).Order());
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"burst {i}").Order(), (await overWss).Order());
    }

    [Fact]
    public async Task Wss_over_HTTP_2_registers_and_gets_a_burst_in_order()
    {
        const int Messages = 40;
        var (tenantId, userId) = await system.NewUserAsync();
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = new CertificateSeen().Accept;
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{system.HttpsPort}/ws"), invoker, default);
        Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);

        var register = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.WriteRegister(register, BodyEncoding.None, 5, new RegisterRequest(1, TerminalType.Android, userId, await system.LoginAsync(tenantId, userId)));
        await socket.SendAsync(register.WrittenMemory, WebSocketMessageType.Binary, true, default);
        Assert.Equal(0, (await ReceiveFrameAsync(socket)).Body[0]);
        await system.WaitUntilLiveAsync(userId);

        var receiving = ReceiveBurstAsync(() => ReceiveFrameAsync(socket), Messages);
        await SendBurstAsync(userId, Messages);

        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"burst {i}").Order(), (await receiving).Order());
    }

    [Fact]
    public async Task A_reloaded_certificate_with_its_intermediate_in_the_file_serves_both_and_registers_devices()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (leaf, intermediate) = system.ReplaceCertificateWithChain("appmsg-test-chain");
        var expected = TestCertificate.Sha256(leaf);
        await Eventually.ReturnsAsync(ServedOverTcpAsync, served => served == expected, TimeSpan.FromSeconds(15), "the reloaded certificate on the binary TLS port");
        await Eventually.ReturnsAsync(ServedOverHttpsAsync, served => served == expected, TimeSpan.FromSeconds(15), "the reloaded certificate on the HTTPS port");

        var sent = new List<string>();
        await using var device = await RawDevice.ConnectTlsAsync(system.TlsTcpPort, (_, certificate, chain, _) =>
        {
            sent.AddRange((chain?.ChainPolicy.ExtraStore ?? []).Select(TestCertificate.Sha256));
            return certificate is not null;
        });

        Assert.Contains(TestCertificate.Sha256(intermediate), sent);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        Assert.Equal(MessageType.Pong, (await device.PingAsync(tid: 7)).Type);
    }

    private async Task SendBurstAsync(string userId, int count)
    {
        using var inFlight = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await inFlight.WaitAsync();
            try
            {
                await SendTextAsync(userId, $"burst {i}");
            }
            finally
            {
                inFlight.Release();
            }
        }));
    }

    /// <summary>The texts of the first <paramref name="count"/> distinct messages pushed; each must be whole, and their seqs rise.</summary>
    private static async Task<List<string>> ReceiveBurstAsync(Func<Task<ReceivedFrame>> receive, int count)
    {
        var texts = new List<string>();
        var lastSeq = 0L;
        while (texts.Count < count)
        {
            var push = await receive();
            if (push.Type != MessageType.Push)
            {
                continue;
            }

            using var envelope = JsonDocument.Parse(push.Body.AsMemory(3));
            var seq = envelope.RootElement.GetProperty("seq").GetInt64();
            if (seq <= lastSeq)
            {
                // A resend of a message not yet acknowledged (this device sends no PUSHRESP) is not a new one.
                continue;
            }

            lastSeq = seq;
            texts.Add(envelope.RootElement.GetProperty("content").GetProperty("text").GetString()!);
        }

        return texts;
    }

    private async Task<string?> ServedOverTcpAsync()
    {
        var served = new CertificateSeen();
        await using var device = await RawDevice.ConnectTlsAsync(system.TlsTcpPort, served.Accept);
        return served.Sha256;
    }

    private async Task<string?> ServedOverHttpsAsync()
    {
        var served = new CertificateSeen();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => served.Accept(null!, certificate, null, SslPolicyErrors.None) };
        using var http = new HttpClient(handler);
        (await http.GetAsync(new Uri($"https://127.0.0.1:{system.HttpsPort}/healthz"))).EnsureSuccessStatusCode();
        return served.Sha256;
    }

    private Task SendTextAsync(string userId, string text) =>
        system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text } }, system.AdminKey)
            .ContinueWith(t => t.Result.Expect(HttpStatusCode.OK), TaskScheduler.Default);

    private static async Task<ReceivedFrame> ReceiveFrameAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
            var sequence = new System.Buffers.ReadOnlySequence<byte>(buffer, 0, length);
            if (FrameReader.TryReadFrame(ref sequence, buffer.Length, out var frame, out _) == FrameReadStatus.Frame)
            {
                return new ReceivedFrame(frame.Type, frame.Tid, frame.Encoding, frame.DecodeBodyToArray());
            }
        }
    }

    /// <summary>Whether this machine can complete a TLS 1.1 handshake with itself (OpenSSL builds often refuse it outright).</summary>
    private static async Task<bool> PlatformSpeaksTls11Async()
    {
#pragma warning disable SYSLIB0039 // TLS 1.1 is obsolete: probing for it is the point.
        using var certificate = TestCertificate.Create("tls11-probe");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var server = new SslStream(accepted.GetStream());
        await using var probe = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        using var serverCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Task.WhenAll(
                server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate, EnabledSslProtocols = SslProtocols.Tls11 }, timeout.Token),
                probe.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls11 }, timeout.Token));
            return probe.SslProtocol == SslProtocols.Tls11;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or PlatformNotSupportedException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
#pragma warning restore SYSLIB0039
    }
}
