using System.Text;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

public sealed class ResultsAndOptionsTests
{
    [Fact]
    public void REGRESP_JSON_gives_session_heartbeat_and_server_time_in_either_form()
    {
        var binary = RegisterResult.FromResponse(new ResponseMessage(0, Utf8("{\"sessionId\":\"s-1\",\"heartbeat\":300,\"serverTime\":1700000000000}")));
        var text = RegisterResult.FromResponse(new ResponseMessage(0, Utf8("{\"code\":0,\"sessionId\":\"s-1\",\"heartbeat\":300,\"serverTime\":1700000000000}")));
        Assert.Equal(binary, text);
        Assert.True(binary.IsSuccess);
        Assert.Equal("s-1", binary.SessionId);
        Assert.Equal(TimeSpan.FromMinutes(5), binary.Heartbeat);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), binary.ServerTime);

        var refused = RegisterResult.FromResponse(new ResponseMessage(3, default));
        Assert.Equal(new RegisterResult(RegisterResultCode.AuthenticationFailed, null, null, null), refused);
        Assert.False(refused.IsSuccess);

        var odd = RegisterResult.FromResponse(new ResponseMessage(0, Utf8("{\"sessionId\":5,\"heartbeat\":-1,\"serverTime\":\"x\"}")));
        Assert.Equal(new RegisterResult(RegisterResultCode.Ok, null, null, null), odd);
        Assert.Equal(new RegisterResult(RegisterResultCode.Ok, null, null, null), RegisterResult.FromResponse(new ResponseMessage(0, Utf8("not json"))));
    }

    [Fact]
    public void IMRESP_and_SYNCRESP_JSON_drops_the_code_the_text_form_merges_in()
    {
        var im = ImResult.FromResponse(new ResponseMessage(0, Utf8("{\"code\":0,\"id\":\"m\",\"timeline\":\"1@user\",\"seq\":4}")));
        Assert.Equal(("m", "1@user", 4L), (im.MessageId, im.Timeline, im.Seq));
        Assert.Equal("{\"id\":\"m\",\"timeline\":\"1@user\",\"seq\":4}", Encoding.UTF8.GetString(im.Json.Span));

        var failed = ImResult.FromResponse(new ResponseMessage((byte)ImResultCode.Failed, default));
        Assert.False(failed.IsSuccess);
        Assert.True(failed.Json.IsEmpty);

        var sync = SyncResult.FromResponse(new ResponseMessage(0, Utf8("{\"complete\":true,\"count\":2}")));
        Assert.True(sync.Complete);
        Assert.Equal("{\"complete\":true,\"count\":2}", Encoding.UTF8.GetString(sync.Json.Span));
    }

    [Theory]
    [InlineData(DeviceTransportKind.Tcp, "127.0.0.1:7100")]
    [InlineData(DeviceTransportKind.Tcp, "tcp://edge.example:7100")]
    [InlineData(DeviceTransportKind.Tcp, "[::1]:7100")]
    [InlineData(DeviceTransportKind.WebSocketBinary, "ws://127.0.0.1:8080/ws")]
    [InlineData(DeviceTransportKind.WebSocketGalopush, "wss://edge.example/ws")]
    public void Endpoints_that_work(DeviceTransportKind transport, string endpoint) =>
        Assert.Equal(DeviceClientState.Disconnected, new DeviceClient(new DeviceClientOptions { Endpoint = endpoint, Transport = transport }).State);

    [Theory]
    [InlineData(DeviceTransportKind.Tcp, "")]
    [InlineData(DeviceTransportKind.Tcp, "127.0.0.1")]
    [InlineData(DeviceTransportKind.Tcp, "ws://127.0.0.1:8080/ws")]
    [InlineData(DeviceTransportKind.WebSocketJson, "127.0.0.1:8080")]
    [InlineData(DeviceTransportKind.WebSocketJson, "http://127.0.0.1:8080/ws")]
    public void Endpoints_that_do_not(DeviceTransportKind transport, string endpoint) =>
        Assert.ThrowsAny<ArgumentException>(() => new DeviceClient(new DeviceClientOptions { Endpoint = endpoint, Transport = transport }));

    [Fact]
    public void Settings_that_cannot_work_fail_at_construction()
    {
        var good = new DeviceClientOptions { Endpoint = "127.0.0.1:1" };
        Assert.ThrowsAny<ArgumentException>(() => new DeviceClient(good with { Token = new string('x', 33) }));
        Assert.ThrowsAny<ArgumentException>(() => new DeviceClient(good with { UserId = "caf\u00e9" }));
        Assert.ThrowsAny<ArgumentException>(() => new DeviceClient(good with { BodyEncoding = (BodyEncoding)4 }));
        Assert.ThrowsAny<ArgumentException>(() => new DeviceClient(good with { RequestTimeout = TimeSpan.Zero }));
        Assert.ThrowsAny<ArgumentException>(() => new DeviceClient(good with { ReconnectMaxDelay = TimeSpan.FromMilliseconds(10) }));
        Assert.ThrowsAny<ArgumentException>(() => new DeviceClient(good with { HeartbeatInterval = TimeSpan.FromSeconds(-1) }));
        _ = new DeviceClient(good with { HeartbeatInterval = Timeout.InfiniteTimeSpan });
    }

    [Fact]
    public async Task Requests_need_a_registered_client()
    {
        await using var client = new DeviceClient(new DeviceClientOptions { Endpoint = "127.0.0.1:1" });
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PingAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendImAsync("{}"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendImAsync("[1]"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.AcknowledgeAsync(1, MessageType.Push));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
