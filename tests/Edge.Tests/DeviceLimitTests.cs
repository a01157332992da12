using System.Buffers.Binary;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>Bad input on the binary protocol: each gets its answer or a close, and the edge keeps serving.</summary>
public sealed class DeviceLimitTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Ping_before_register_is_answered_not_registered()
    {
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);

        var pong = await device.PingAsync(tid: 5);

        Assert.Equal(MessageType.Pong, pong.Type);
        Assert.Equal((byte)PongCode.NotRegistered, pong.Code);
        await AssertEdgeServesAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(63)]
    public async Task An_unknown_or_zero_type_closes_the_connection(byte type)
    {
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        var header = new byte[9];
        header[0] = type;
        await device.SendRawAsync(header);

        Assert.True(await device.IsClosedByServerAsync(CloseWithin));
        await AssertEdgeServesAsync();
    }

    [Fact]
    public async Task A_body_over_the_limit_closes_the_connection_before_the_body_is_sent()
    {
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        var header = new byte[9];
        header[0] = (byte)MessageType.Register;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(5), 4097);
        await device.SendRawAsync(header);

        Assert.True(await device.IsClosedByServerAsync(CloseWithin));
        await AssertEdgeServesAsync();
    }

    [Fact]
    public async Task A_register_body_of_the_wrong_size_is_refused()
    {
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        await device.SendFrameAsync(MessageType.Register, 1, new byte[65]);

        var answer = await device.ReceiveAsync();
        Assert.Equal(MessageType.RegResp, answer.Type);
        Assert.NotEqual(0, answer.Code);
        Assert.True(await device.IsClosedByServerAsync(CloseWithin));
    }

    [Fact]
    public async Task Frames_other_than_register_and_ping_before_register_close_the_connection()
    {
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        await device.SendFrameAsync(MessageType.PushResp, 1, new byte[] { 0 });

        Assert.True(await device.IsClosedByServerAsync(CloseWithin));
    }

    [Fact]
    public async Task Half_a_header_and_a_stall_is_closed_at_the_register_deadline()
    {
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        await device.SendRawAsync(new byte[] { 1, 0, 0 });

        var started = DateTime.UtcNow;
        Assert.True(await device.IsClosedByServerAsync(CloseWithin));
        Assert.True(DateTime.UtcNow - started >= DeviceTestSystem.RegisterDeadline - TimeSpan.FromMilliseconds(500));
        await AssertEdgeServesAsync();
    }

    [Fact]
    public async Task A_silent_registered_connection_is_closed_at_the_idle_limit_and_its_session_ends()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        var sessions = system.Cluster.GetGrain<Sessions.IUserSessionsGrain>(userId);
        Assert.Single(await sessions.GetSessionsAsync());

        var started = DateTime.UtcNow;
        Assert.True(await device.IsClosedByServerAsync(DeviceTestSystem.IdleLimit + CloseWithin));
        Assert.True(DateTime.UtcNow - started >= DeviceTestSystem.IdleLimit - TimeSpan.FromMilliseconds(500));
        await Eventually.ReturnsAsync(() => sessions.GetSessionsAsync(), s => s.Count == 0, TimeSpan.FromSeconds(10), "the session ended");
    }

    [Fact]
    public async Task Pings_keep_a_connection_open_past_the_idle_limit()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(DeviceTestSystem.IdleLimit / 2);
            Assert.Equal((byte)PongCode.Ok, (await device.PingAsync((uint)(10 + i))).Code);
        }
    }

    [Fact]
    public async Task A_thousand_connections_opened_and_dropped_at_once_leave_the_edge_serving()
    {
        await AssertEdgeServesAsync();
        var handlesBefore = OpenHandles();
        var devices = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => RawDevice.ConnectAsync(system.TcpPort)));
        await Task.WhenAll(devices.Select(d => d.DisposeAsync().AsTask()));

        await AssertEdgeServesAsync();
        var connections = system.EdgeServices<Devices.DeviceConnections>();
        await Eventually.ReturnsAsync(() => Task.FromResult(connections.OpenCount), c => c == 0, TimeSpan.FromSeconds(20), "all connections closed");
        // The test process holds both ends; once the edge has closed its side, no socket stays open.
        await Eventually.ReturnsAsync(() => Task.FromResult(OpenHandles()), n => n <= handlesBefore + 20, TimeSpan.FromSeconds(20), $"handles back near {handlesBefore}");
    }

    private static int OpenHandles() => System.IO.Directory.GetFiles("/proc/self/fd").Length;

    private async Task AssertEdgeServesAsync()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        Assert.Equal((byte)PongCode.Ok, (await device.PingAsync()).Code);
    }
}
