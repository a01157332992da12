using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class WebSocketDeviceTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    [Fact]
    public async Task A_device_registers_and_pings_with_json_text_messages()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId, 8);
        using var socket = await ConnectAsync();

        await SendTextAsync(socket, $$$"""{"cmd":1,"tid":9,"data":{"version":1,"termType":8,"id":"{{{userId}}}","token":"{{{token}}}"}}""");
        using var regresp = JsonDocument.Parse(await ReceiveTextAsync(socket));
        Assert.Equal(2, regresp.RootElement.GetProperty("cmd").GetInt32());
        Assert.Equal(9u, regresp.RootElement.GetProperty("tid").GetUInt32());
        Assert.Equal(0, regresp.RootElement.GetProperty("data").GetProperty("code").GetInt32());
        Assert.True(Ids.IsValid(regresp.RootElement.GetProperty("data").GetProperty("sessionId").GetString()));

        await SendTextAsync(socket, """{"cmd":3,"tid":10,"data":{}}""");
        using var pong = JsonDocument.Parse(await ReceiveTextAsync(socket));
        Assert.Equal(4, pong.RootElement.GetProperty("cmd").GetInt32());
        Assert.Equal(10u, pong.RootElement.GetProperty("tid").GetUInt32());
    }

    [Fact]
    public async Task A_device_speaking_galopush_web_framing_is_answered_in_kind()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId, 8);
        using var socket = await ConnectAsync();
        var register = Encoding.UTF8.GetBytes($$$"""{"cmd":1,"tid":3,"data":{"version":1,"termType":8,"id":"{{{userId}}}","token":"{{{token}}}"}}""");

        await SendTextAsync(socket, GalopushWebFraming.Wrap(register));
        var answer = await ReceiveTextAsync(socket);

        Assert.NotEqual('{', answer[0]);
        var json = new byte[GalopushWebFraming.GetMaxUnwrappedLength(answer.Length)];
        Assert.True(GalopushWebFraming.TryUnwrap(answer.AsSpan(), json, out var length, out _));
        using var regresp = JsonDocument.Parse(json.AsMemory(0, length));
        Assert.Equal(2, regresp.RootElement.GetProperty("cmd").GetInt32());
        Assert.Equal(0, regresp.RootElement.GetProperty("data").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_device_sends_binary_frames_in_binary_messages_even_split_across_messages()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        using var socket = await ConnectAsync();
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.WriteRegister(output, BodyEncoding.RingXor, 21, new RegisterRequest(1, TerminalType.Android, userId, token));
        var frame = output.WrittenMemory;

        await socket.SendAsync(frame[..20], WebSocketMessageType.Binary, true, default);
        await socket.SendAsync(frame[20..], WebSocketMessageType.Binary, true, default);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, default);

        Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
        var sequence = new System.Buffers.ReadOnlySequence<byte>(buffer.AsMemory(0, received.Count));
        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref sequence, 65536, out var regresp, out _));
        Assert.Equal(MessageType.RegResp, regresp.Type);
        Assert.Equal(BodyEncoding.RingXor, regresp.Encoding);
        Assert.Equal(0, regresp.DecodeBodyToArray()[0]);
    }

    [Theory]
    [InlineData("{\"cmd\":1,\"tid\":")]
    [InlineData("{\"cmd\":99,\"tid\":1,\"data\":{}}")]
    [InlineData("not base64 at all, and not json ***")]
    public async Task Garbage_text_closes_the_connection(string garbage)
    {
        using var socket = await ConnectAsync();

        await SendTextAsync(socket, garbage);

        Assert.True(await IsClosedAsync(socket));
    }

    [Fact]
    public async Task An_over_long_text_message_closes_the_connection()
    {
        using var socket = await ConnectAsync();

        await SendTextAsync(socket, "{\"cmd\":3,\"tid\":1,\"data\":{\"x\":\"" + new string('x', 200_000) + "\"}}");

        Assert.True(await IsClosedAsync(socket));
        using var next = await ConnectAsync();
        await SendTextAsync(next, """{"cmd":3,"tid":1,"data":{}}""");
        using var pong = JsonDocument.Parse(await ReceiveTextAsync(next));
        Assert.Equal(1, pong.RootElement.GetProperty("data").GetProperty("code").GetInt32());
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(system.WebSocketUri, default);
        return socket;
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, default);

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[65536];
        var total = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(total), cts.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            total += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
    }

    private static async Task<bool> IsClosedAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (WebSocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
