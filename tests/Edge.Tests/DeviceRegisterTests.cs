using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class DeviceRegisterTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    [Theory]
    [InlineData(BodyEncoding.None)]
    [InlineData(BodyEncoding.Not)]
    [InlineData(BodyEncoding.PairSwap)]
    [InlineData(BodyEncoding.RingXor)]
    public async Task A_device_registers_over_tcp_in_each_encoding_and_is_answered_in_it(BodyEncoding encoding)
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        device.Encoding = encoding;

        var answer = await device.RegisterAsync(userId, token, tid: 77);

        Assert.Equal(MessageType.RegResp, answer.Type);
        Assert.Equal(77u, answer.Tid);
        Assert.Equal(encoding, answer.Encoding);
        Assert.Equal(0, answer.Code);
        using var json = JsonDocument.Parse(answer.JsonAfterCode);
        Assert.True(Ids.IsValid(json.RootElement.GetProperty("sessionId").GetString()));
        Assert.Equal(300, json.RootElement.GetProperty("heartbeat").GetInt32());

        var pong = await device.PingAsync(tid: 78);
        Assert.Equal(MessageType.Pong, pong.Type);
        Assert.Equal(78u, pong.Tid);
        Assert.Equal((byte)PongCode.Ok, pong.Code);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_with_code_3_and_the_connection_closed()
    {
        var (_, userId) = await system.NewUserAsync();
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);

        var answer = await device.RegisterAsync(userId, "WrongTokenWrongTokenWrongToken12");

        Assert.Equal((byte)RegisterResultCode.AuthenticationFailed, answer.Code);
        Assert.True(await device.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_token_of_another_user_is_refused()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (_, otherUserId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);

        Assert.Equal((byte)RegisterResultCode.AuthenticationFailed, (await device.RegisterAsync(otherUserId, token)).Code);
    }

    [Fact]
    public async Task Unsupported_version_and_bad_terminal_type_get_their_codes()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using (var device = await RawDevice.ConnectAsync(system.TcpPort))
        {
            Assert.Equal((byte)RegisterResultCode.UnsupportedVersion, (await device.RegisterAsync(userId, token, version: 9)).Code);
        }

        await using (var device = await RawDevice.ConnectAsync(system.TcpPort))
        {
            Assert.Equal((byte)RegisterResultCode.BadTerminalType, (await device.RegisterAsync(userId, token, terminalType: TerminalType.Android | TerminalType.Ios)).Code);
        }
    }

    [Fact]
    public async Task A_second_login_of_the_same_terminal_type_kicks_the_first_with_reason_1()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var first = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await first.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        await using var web = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await web.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, 8), TerminalType.Web)).Code);

        await using var second = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await second.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);

        var kick = await first.ReceiveAsync();
        Assert.Equal(MessageType.Kick, kick.Type);
        Assert.Equal((byte)KickReason.AnotherLogin, kick.Code);
        Assert.True(await first.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((byte)PongCode.Ok, (await second.PingAsync()).Code);
        Assert.Equal((byte)PongCode.Ok, (await web.PingAsync()).Code);
    }

    [Fact]
    public async Task Android_and_ios_exclude_each_other_when_the_tenant_asks_for_it()
    {
        var (tenantId, userId) = await system.NewUserAsync(new { oneSessionPerTerminalType = true, androidIosExclusive = true });
        await using var android = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await android.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, 1), TerminalType.Android)).Code);

        await using var ios = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await ios.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, 2), TerminalType.Ios)).Code);

        var kick = await android.ReceiveAsync();
        Assert.Equal(MessageType.Kick, kick.Type);
        Assert.Equal((byte)KickReason.MobileExclusion, kick.Code);
    }

    [Fact]
    public async Task Logout_kicks_the_sessions_of_that_token_with_reason_4()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, token)).Code);

        (await system.Api.PostAsync("/v1/auth/logout", null, token)).Expect(System.Net.HttpStatusCode.NoContent);

        var kick = await device.ReceiveAsync();
        Assert.Equal(MessageType.Kick, kick.Type);
        Assert.Equal((byte)KickReason.LoggedOut, kick.Code);
    }
}
