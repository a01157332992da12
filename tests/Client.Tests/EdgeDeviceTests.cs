using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Client.Tests;

/// <summary>The client against the real edge (silo, edge and PostgreSQL running), over real sockets.</summary>
public sealed class EdgeDeviceTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly DeviceAccounts accounts = new(system);

    public static TheoryData<DeviceTransportKind, BodyEncoding> Transports => new()
    {
        { DeviceTransportKind.Tcp, BodyEncoding.None },
        { DeviceTransportKind.Tcp, BodyEncoding.Not },
        { DeviceTransportKind.Tcp, BodyEncoding.PairSwap },
        { DeviceTransportKind.Tcp, BodyEncoding.RingXor },
        { DeviceTransportKind.WebSocketBinary, BodyEncoding.None },
        { DeviceTransportKind.WebSocketBinary, BodyEncoding.RingXor },
        { DeviceTransportKind.WebSocketJson, BodyEncoding.None },
        { DeviceTransportKind.WebSocketGalopush, BodyEncoding.None },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Registers_and_gets_PONG_code_0(DeviceTransportKind transport, BodyEncoding encoding)
    {
        var (userId, token) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(accounts.Options(transport, userId, token) with { BodyEncoding = encoding });

        var registered = await client.ConnectAsync();

        Assert.Equal(RegisterResultCode.Ok, registered.Code);
        Assert.False(string.IsNullOrEmpty(registered.SessionId));
        Assert.NotNull(registered.Heartbeat);
        Assert.Equal(DeviceClientState.Registered, client.State);
        Assert.Equal(PongCode.Ok, await client.PingAsync());
        Assert.Equal(PongCode.Ok, await client.PingAsync());
    }

    [Theory]
    [InlineData(DeviceTransportKind.Tcp)]
    [InlineData(DeviceTransportKind.WebSocketBinary)]
    [InlineData(DeviceTransportKind.WebSocketJson)]
    [InlineData(DeviceTransportKind.WebSocketGalopush)]
    public async Task A_wrong_token_is_refused_with_code_3(DeviceTransportKind transport)
    {
        var (userId, _) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(accounts.Options(transport, userId, new string('x', 32)));

        var error = await Assert.ThrowsAsync<DeviceRegistrationException>(() => client.ConnectAsync());

        Assert.Equal(RegisterResultCode.AuthenticationFailed, error.Code);
        Assert.Equal(DeviceClientState.Disconnected, client.State);
    }

    [Fact]
    public async Task A_token_of_another_user_is_refused_with_code_3()
    {
        var (first, _) = await accounts.NewUserAsync();
        var (_, secondToken) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(accounts.Options(DeviceTransportKind.Tcp, first, secondToken));

        Assert.Equal(RegisterResultCode.AuthenticationFailed, (await Assert.ThrowsAsync<DeviceRegistrationException>(() => client.ConnectAsync())).Code);
    }

    [Fact]
    public async Task A_terminal_type_that_is_not_one_type_is_refused_with_code_5()
    {
        var (userId, token) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(accounts.Options(DeviceTransportKind.Tcp, userId, token) with { TerminalType = TerminalType.Android | TerminalType.Ios });

        Assert.Equal(RegisterResultCode.BadTerminalType, (await Assert.ThrowsAsync<DeviceRegistrationException>(() => client.ConnectAsync())).Code);
    }

    [Fact]
    public async Task A_second_login_of_the_same_terminal_type_kicks_the_first_which_does_not_reconnect()
    {
        var (userId, token) = await accounts.NewUserAsync(TerminalType.Android);
        await using var first = new DeviceClient(accounts.Options(DeviceTransportKind.Tcp, userId, token));
        await first.ConnectAsync();

        await using var second = new DeviceClient(accounts.Options(DeviceTransportKind.WebSocketJson, userId, token));
        await second.ConnectAsync();

        Assert.Equal(KickReason.AnotherLogin, (await first.NextAsync<KickEvent>()).Reason);
        var disconnected = await first.NextAsync<DisconnectedEvent>();
        Assert.Equal((KickReason.AnotherLogin, false), (disconnected.Kick, disconnected.WillReconnect));
        Assert.Equal(DeviceClientState.Disconnected, first.State);
        Assert.Equal(PongCode.Ok, await second.PingAsync());
    }

    [Fact]
    public async Task An_IM_and_a_SYNC_are_answered_on_their_TIDs()
    {
        var (userId, token) = await accounts.NewUserAsync();
        await using var client = new DeviceClient(accounts.Options(DeviceTransportKind.Tcp, userId, token));
        await client.ConnectAsync();

        var im = await client.SendImAsync($"{{\"to\":\"{userId}@user\",\"type\":\"text\",\"content\":{{\"text\":\"note to self\"}},\"clientMsgId\":\"c-1\"}}");
        var sync = await client.SyncAsync();

        Assert.True(Enum.IsDefined(im.Code), $"IMRESP code {im.Code}");
        Assert.True(Enum.IsDefined(sync.Code), $"SYNCRESP code {sync.Code}");
        Assert.Equal(DeviceClientState.Registered, client.State);
    }
}
