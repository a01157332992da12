using System.Buffers;
using System.Text;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

/// <summary>The client's text messages read back with the protocol library's parsers, and the server's read by the client.</summary>
public sealed class JsonFormatTests
{
    [Fact]
    public void REGISTER_and_PING_read_back_as_the_server_reads_them()
    {
        var request = new RegisterRequest(1, TerminalType.Web, "u1", "0123456789abcdef0123456789abcdef");
        var register = Parse(Write(OutboundMessage.ForRegister(4_000_000_000, request)));
        Assert.Equal(MessageType.Register, register.Type);
        Assert.Equal(4_000_000_000u, register.Tid);
        Assert.True(JsonBodies.TryParseRegister(register.Data.Span, out var parsed, out _));
        Assert.Equal(request, parsed);

        var ping = Parse(Write(OutboundMessage.ForPing(3)));
        Assert.Equal(MessageType.Ping, ping.Type);
        Assert.Equal("{}", Encoding.UTF8.GetString(ping.Data.Span));
    }

    [Fact]
    public void Acknowledgements_IM_and_SYNC_read_back()
    {
        foreach (var type in new[] { MessageType.PushResp, MessageType.ImResp, MessageType.KickResp })
        {
            var ack = Parse(Write(OutboundMessage.ForResponse(type, 9, 0)));
            Assert.Equal(type, ack.Type);
            Assert.True(JsonBodies.TryParseCode(ack.Data.Span, out var code, out _));
            Assert.Equal(0, code);
        }

        var im = Parse(Write(OutboundMessage.ForImUp(1, "{\"to\":\"1@qun\",\"type\":\"text\",\"content\":{\"text\":\"x\"}}"u8.ToArray())));
        Assert.True(JsonBodies.TryParseImUp(im.Data, out var message, out _));
        Assert.Equal("{\"to\":\"1@qun\",\"type\":\"text\",\"content\":{\"text\":\"x\"}}", Encoding.UTF8.GetString(message.Span));

        var sync = Parse(Write(OutboundMessage.ForSync(2, "{\"cursors\":{\"1@qun\":5}}"u8.ToArray())));
        Assert.Equal(MessageType.Sync, sync.Type);
        Assert.True(SyncRequest.TryParse(sync.Data.Span, out var cursors, out _));
        Assert.Equal(5, cursors.Cursors["1@qun"]);
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("")]
    [InlineData("\"quoted\" and \\ and \u00e9\u4e2d")]
    [InlineData("{\"json\":true}")]
    [InlineData("123")]
    public void A_callback_answer_reaches_the_caller_as_the_same_bytes_a_binary_terminal_sends(string answer)
    {
        var bytes = Encoding.UTF8.GetBytes(answer);
        var frame = Parse(Write(OutboundMessage.ForResponse(MessageType.CbResp, 4, 1, bytes)));
        Assert.True(JsonBodies.TryParseCallbackResponse(frame.Data, out var code, out var received, out _));
        Assert.Equal(1, code);
        Assert.Equal(bytes, received.ToArray());
    }

    [Fact]
    public void Server_messages_read_as_the_server_meant_them()
    {
        var envelope = "{\"id\":\"m1\",\"content\":{\"text\":\"h\\u00e9\"}}"u8.ToArray();
        var messages = new List<byte[]>();
        messages.Add(Server(w => JsonFrameCodec.WriteRegisterResponse(w, 1, RegisterResultCode.Ok, "{\"sessionId\":\"s\"}"u8)));
        messages.Add(Server(w => JsonFrameCodec.WritePong(w, 2, PongCode.Ok)));
        messages.Add(Server(w => JsonFrameCodec.WritePush(w, 3, 65535, 1, envelope)));
        messages.Add(Server(w => JsonFrameCodec.WriteImDown(w, 4, 0, envelope)));
        messages.Add(Server(w => JsonFrameCodec.WriteCallback(w, 5, "{\"id\":\"c\",\"payload\":[1]}"u8)));
        messages.Add(Server(w => JsonFrameCodec.WriteKick(w, 6, KickReason.EdgeDraining)));
        messages.Add(Server(w => JsonFrameCodec.WriteImResponse(w, 7, ImResultCode.Ok, "{\"id\":\"m2\",\"seq\":9}"u8)));
        messages.Add(Server(w => JsonFrameCodec.WriteSyncResponse(w, 8, SyncResultCode.Ok, "{\"complete\":false}"u8)));
        messages.Add("{\"cmd\":4,\"tid\":9,\"data\":{}}"u8.ToArray());

        var read = messages.Select(m =>
        {
            Assert.True(JsonFormat.TryParse(Parse(m), out var message, out var error), error.ToString());
            return (message.Type, message.Tid, message.Code, message.Offline, Encoding.UTF8.GetString(message.Payload.Span));
        }).ToList();

        var text = Encoding.UTF8.GetString(envelope);
        Assert.Equal(
            [
                (MessageType.RegResp, 1u, (byte)0, (ushort)0, "{\"code\":0,\"sessionId\":\"s\"}"),
                (MessageType.Pong, 2u, (byte)0, (ushort)0, ""),
                (MessageType.Push, 3u, (byte)1, (ushort)65535, text),
                (MessageType.Im, 4u, (byte)0, (ushort)0, text),
                (MessageType.Callback, 5u, (byte)0, (ushort)0, "{\"id\":\"c\",\"payload\":[1]}"),
                (MessageType.Kick, 6u, (byte)KickReason.EdgeDraining, (ushort)0, ""),
                (MessageType.ImResp, 7u, (byte)0, (ushort)0, "{\"code\":0,\"id\":\"m2\",\"seq\":9}"),
                (MessageType.SyncResp, 8u, (byte)0, (ushort)0, "{\"code\":0,\"complete\":false}"),
                (MessageType.Pong, 9u, (byte)0, (ushort)0, ""),
            ],
            read);
    }

    [Theory]
    [InlineData("{\"cmd\":11,\"tid\":1,\"data\":{}}", "reason")]
    [InlineData("{\"cmd\":5,\"tid\":1,\"data\":{\"offline\":0,\"flag\":0}}", "msg")]
    [InlineData("{\"cmd\":5,\"tid\":1,\"data\":{\"offline\":65536,\"msg\":{}}}", "integers")]
    [InlineData("{\"cmd\":9,\"tid\":1,\"data\":{\"flag\":-1,\"msg\":{}}}", "integers")]
    [InlineData("{\"cmd\":7,\"tid\":1,\"data\":{\"msg\":\"text\"}}", "object")]
    [InlineData("{\"cmd\":2,\"tid\":1,\"data\":{}}", "code")]
    [InlineData("{\"cmd\":1,\"tid\":1,\"data\":{}}", "server does not send")]
    [InlineData("{\"cmd\":13,\"tid\":1,\"data\":{}}", "server does not send")]
    public void What_a_server_must_not_send_is_a_protocol_error(string text, string reason)
    {
        Assert.False(JsonFormat.TryParse(Parse(Encoding.UTF8.GetBytes(text)), out _, out var error));
        Assert.Contains(reason, error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Galopush_framing_wraps_what_the_server_unwraps_and_back()
    {
        var json = Write(OutboundMessage.ForPing(12));
        var wrapped = new ArrayBufferWriter<byte>();
        GalopushWebFraming.Wrap(json, wrapped);
        Assert.True(GalopushWebFraming.IsWrapped(wrapped.WrittenSpan));

        var unwrapped = new byte[GalopushWebFraming.GetMaxUnwrappedLength(wrapped.WrittenCount)];
        Assert.True(GalopushWebFraming.TryUnwrap(wrapped.WrittenSpan, unwrapped, out var length, out _));
        Assert.Equal(json, unwrapped[..length]);

        var pong = Server(w => JsonFrameCodec.WritePong(w, 12, PongCode.Ok));
        var text = Encoding.ASCII.GetBytes(GalopushWebFraming.Wrap(pong));
        Assert.True(GalopushWebFraming.TryUnwrapInPlace(text, out var pongLength, out _));
        Assert.True(JsonFormat.TryParse(Parse(text[..pongLength]), out var message, out _));
        Assert.Equal((MessageType.Pong, 12u), (message.Type, message.Tid));
    }

    private static byte[] Write(OutboundMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        JsonFormat.Write(output, message, new ArrayBufferWriter<byte>());
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Server(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    private static JsonFrame Parse(byte[] text)
    {
        Assert.True(JsonFrameCodec.TryParse(text, ProtocolLimits.DefaultMaxTextMessageLength, out var frame, out var error), error.ToString());
        return frame;
    }
}
