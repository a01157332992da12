using System.Net;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Sessions;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class SessionPushTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    [Fact]
    public async Task Session_push_reaches_exactly_the_session_addressed()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var android = await RegisteredAsync(tenantId, userId, TerminalType.Android);
        await using var web = await RegisteredAsync(tenantId, userId, TerminalType.Web);
        var sessions = await system.Cluster.GetGrain<IUserSessionsGrain>(userId).GetSessionsAsync();
        Assert.Equal(2, sessions.Count);
        var webSession = sessions.Single(s => s.TerminalType == (int)TerminalType.Web);

        var envelope = Encoding.UTF8.GetBytes("""{"id":"m1","type":"text","content":{"text":"only web"}}""");
        Assert.True(await system.Cluster.GetGrain<ISessionGrain>(webSession.SessionId).PushAsync(envelope));

        var push = await web.ReceiveAsync();
        Assert.Equal(MessageType.Push, push.Type);
        Assert.Contains("only web", Encoding.UTF8.GetString(push.Body), StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => android.ReceiveAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Push_to_a_user_reaches_the_terminals_in_the_mask_only()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var android = await RegisteredAsync(tenantId, userId, TerminalType.Android);
        await using var ios = await RegisteredAsync(tenantId, userId, TerminalType.Ios);
        await using var pc = await RegisteredAsync(tenantId, userId, TerminalType.Pc);

        var addressed = await system.Cluster.GetGrain<IUserSessionsGrain>(userId)
            .PushAsync((int)(TerminalType.Android | TerminalType.Pc), new Delivery(null, 0, Encoding.UTF8.GetBytes("""{"id":"m2"}""")));

        Assert.Equal(2, addressed);
        Assert.Equal(MessageType.Push, (await android.ReceiveAsync()).Type);
        Assert.Equal(MessageType.Push, (await pc.ReceiveAsync()).Type);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ios.ReceiveAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Presence_follows_connect_and_disconnect()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var grain = system.Cluster.GetGrain<IUserSessionsGrain>(userId);
        Assert.Empty(await grain.GetSessionsAsync());

        var device = await RegisteredAsync(tenantId, userId, TerminalType.Pc);
        var live = Assert.Single(await grain.GetSessionsAsync());
        Assert.Equal(system.EdgeSettings.EdgeId, live.EdgeId);
        Assert.Equal((int)TerminalType.Pc, live.TerminalType);

        await device.DisposeAsync();
        await Eventually.ReturnsAsync(() => grain.GetSessionsAsync(), s => s.Count == 0, TimeSpan.FromSeconds(10), "the session gone after disconnect");
        Assert.False(await system.Cluster.GetGrain<ISessionGrain>(live.SessionId).PushAsync([1]));
    }

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId, TerminalType terminalType)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, (int)terminalType), terminalType)).Code);
        return device;
    }
}
