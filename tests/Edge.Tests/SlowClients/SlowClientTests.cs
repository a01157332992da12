using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AppMsg.Edge.Devices;
using AppMsg.Protocol;
using AppMsg.Testing;
using Xunit.Abstractions;

namespace AppMsg.Edge.Tests.SlowClients;

/// <summary>
/// Clients that hold the edge's resources on purpose: headers or bodies sent a byte at a time (slowloris) on HTTP and on
/// the WebSocket upgrade, a WebSocket that never registers, and a flood of REGISTERs with guessed tokens. Each is cut
/// off by its limit while ordinary clients keep being served.
/// </summary>
public sealed class SlowClientTests(SlowClientSystem system, ITestOutputHelper output) : IClassFixture<SlowClientSystem>
{
    private const int SlowConnections = 100;

    [Fact]
    public async Task Slowloris_headers_on_HTTP_are_closed_after_the_headers_timeout_while_other_requests_are_served()
    {
        var slow = await OpenSlowAsync(SlowConnections, "GET /healthz HTTP/1.1\r\nHost: edge\r\n");
        var clock = Stopwatch.StartNew();
        using var drip = new CancellationTokenSource();
        var dripping = DripAsync(slow, "X-Slow: 1\r\n", drip.Token);

        // While they hold their connections, an ordinary client is answered at once.
        var latency = await TimeRequestAsync(() => system.Api.GetAsync("/healthz"));
        output.WriteLine($"{SlowConnections} slowloris connections open; /healthz answered in {latency.TotalMilliseconds:F0} ms");
        Assert.True(latency < TimeSpan.FromSeconds(1), $"/healthz took {latency}");

        var closedAfter = await AllClosedAsync(slow, SlowClientSystem.HeadersTimeout + TimeSpan.FromSeconds(4));
        await drip.CancelAsync();
        await dripping;
        output.WriteLine($"all closed by the edge after {clock.Elapsed.TotalSeconds:F1} s (headers timeout {SlowClientSystem.HeadersTimeout.TotalSeconds} s)");
        Assert.True(closedAfter, "slowloris connections outlived the headers timeout");
        Assert.True(clock.Elapsed >= SlowClientSystem.HeadersTimeout - TimeSpan.FromMilliseconds(200), "closed before the timeout: not the timeout at work");
        (await system.Api.GetAsync("/readyz")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_body_sent_slower_than_the_minimum_rate_is_cut_off_after_the_grace_period()
    {
        using var socket = await ConnectAsync();
        var head = $"POST /v1/tenants HTTP/1.1\r\nHost: edge\r\nAuthorization: Bearer {system.AdminKey}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        var clock = Stopwatch.StartNew();
        var closed = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && !closed)
        {
            try
            {
                await socket.SendAsync("{"u8.ToArray());
                closed = await ClosedWithinAsync(socket, TimeSpan.FromMilliseconds(250));
            }
            catch (SocketException)
            {
                closed = true;
            }
        }

        output.WriteLine($"a body at 4 bytes/s was cut off after {clock.Elapsed.TotalSeconds:F1} s (minimum {system.EdgeSettings.MinRequestBodyBytesPerSecond} B/s, grace {SlowClientSystem.BodyGrace.TotalSeconds} s)");
        Assert.True(closed, "a body trickling in at 4 bytes/s was still being read after 20 s");
        (await system.Api.GetAsync("/readyz")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Slowloris_on_the_WebSocket_upgrade_and_a_WebSocket_that_never_registers_are_closed()
    {
        var slow = await OpenSlowAsync(SlowConnections / 2,
            "GET /ws HTTP/1.1\r\nHost: edge\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
        using var drip = new CancellationTokenSource();
        var dripping = DripAsync(slow, "X-Slow: 1\r\n", drip.Token);

        using var silent = new System.Net.WebSockets.ClientWebSocket();
        await silent.ConnectAsync(new Uri($"ws://127.0.0.1:{system.EdgeSettings.HttpPort}/ws"), default);
        var clock = Stopwatch.StartNew();

        Assert.True(await AllClosedAsync(slow, SlowClientSystem.HeadersTimeout + TimeSpan.FromSeconds(4)), "slow upgrades outlived the headers timeout");
        await drip.CancelAsync();
        await dripping;

        // The upgraded socket that sends nothing: closed at the register deadline.
        var buffer = new byte[64];
        using var wait = new CancellationTokenSource(SlowClientSystem.RegisterDeadline + TimeSpan.FromSeconds(5));
        try
        {
            while ((await silent.ReceiveAsync(buffer, wait.Token)).MessageType != System.Net.WebSockets.WebSocketMessageType.Close)
            {
            }
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // The edge dropped the connection without a close handshake: closed all the same.
        }

        output.WriteLine($"the silent WebSocket was closed after {clock.Elapsed.TotalSeconds:F1} s (register deadline {SlowClientSystem.RegisterDeadline.TotalSeconds} s)");
        Assert.True(clock.Elapsed < SlowClientSystem.RegisterDeadline + TimeSpan.FromSeconds(5), $"closed after {clock.Elapsed}");
        (await system.Api.GetAsync("/readyz")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ten_thousand_REGISTERs_with_bad_tokens_from_one_address_are_throttled_without_asking_the_silo_and_a_registered_device_still_gets_its_push()
    {
        const int Attempts = 10_000;
        var throttle = system.EdgeServices<RegisterThrottle>();
        var (tenantId, userId) = await system.NewUserAsync();
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal((byte)RegisterResultCode.Ok, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        await system.WaitUntilLiveAsync(userId);

        var refusedBefore = throttle.Refused;
        var codes = new int[256];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < Attempts)
            {
                await using var guesser = await RawDevice.ConnectAsync(system.TcpPort);
                var answer = await guesser.RegisterAsync(userId, "guess" + Guid.NewGuid().ToString("N")[..27]);
                Interlocked.Increment(ref codes[answer.Code]);
            }
        })));
        clock.Stop();

        var refused = throttle.Refused - refusedBefore;
        var asked = Attempts - refused;
        output.WriteLine($"{Attempts} bad REGISTERs in {clock.Elapsed.TotalSeconds:F1} s ({Attempts / clock.Elapsed.TotalSeconds:F0}/s): " +
            $"{codes[(int)RegisterResultCode.AuthenticationFailed]} refused after a token lookup (REGRESP 3), {codes[(int)RegisterResultCode.Busy]} refused by the throttle (REGRESP 7); " +
            $"the silo was asked {asked} times");
        Assert.Equal(Attempts, codes[(int)RegisterResultCode.AuthenticationFailed] + codes[(int)RegisterResultCode.Busy]);
        // The free failures, those already past the check when the last free one failed (16 at a time here), then one per
        // lockout that ran out during the flood (1 s, 2 s, 4 s, ... so a handful).
        Assert.InRange(asked, SlowClientSystem.FreeRegisterFailures, SlowClientSystem.FreeRegisterFailures + 16 + 12);

        var pushClock = Stopwatch.StartNew();
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "after the flood" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        var push = await device.ReceiveAsync(TimeSpan.FromSeconds(5));
        output.WriteLine($"a push after the flood arrived in {pushClock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(MessageType.Push, push.Type);
        using var envelope = JsonDocument.Parse(push.Body.AsMemory(3));
        Assert.Equal("after the flood", envelope.RootElement.GetProperty("content").GetProperty("text").GetString());
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, system.EdgeSettings.HttpPort);
        return socket;
    }

    private async Task<List<Socket>> OpenSlowAsync(int count, string start)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            var socket = await ConnectAsync();
            await socket.SendAsync(Encoding.ASCII.GetBytes(start));
            sockets.Add(socket);
        }

        return sockets;
    }

    /// <summary>One byte of <paramref name="header"/> per connection every 200 ms: never a complete request.</summary>
    private static async Task DripAsync(List<Socket> sockets, string header, CancellationToken stop)
    {
        var bytes = Encoding.ASCII.GetBytes(header);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            foreach (var socket in sockets)
            {
                try
                {
                    await socket.SendAsync(bytes.AsMemory(i % bytes.Length, 1));
                }
                catch (SocketException)
                {
                    // Closed by the edge: what the test waits for.
                }
            }

            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<bool> AllClosedAsync(List<Socket> sockets, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        var open = new List<Socket>(sockets);
        while (open.Count > 0 && deadline.Elapsed < within)
        {
            var closed = new List<Socket>();
            foreach (var socket in open)
            {
                if (await ClosedWithinAsync(socket, TimeSpan.FromMilliseconds(10)))
                {
                    closed.Add(socket);
                }
            }

            open.RemoveAll(closed.Contains);
        }

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        return open.Count == 0;
    }

    /// <summary>True when the edge ended the connection (whatever it answered first: Kestrel may send a 408 or 400).</summary>
    private static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan within)
    {
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task<TimeSpan> TimeRequestAsync(Func<Task<ApiClient.Response>> request)
    {
        var clock = Stopwatch.StartNew();
        (await request()).Expect(HttpStatusCode.OK);
        return clock.Elapsed;
    }
}
