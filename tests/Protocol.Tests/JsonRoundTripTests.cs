using System.Buffers;
using System.Text;
using System.Text.Json;

namespace AppMsg.Protocol.Tests;

/// <summary>Every message type written in the text form parses back to the same content.</summary>
public class JsonRoundTripTests
{
    private const string Envelope = """{"id":"m1","timeline":"42@user","seq":7,"from":"1@user","to":"42@user","type":"text","content":{"text":"héllo \"you\""},"ts":1700000000000,"expiresAt":null}""";

    [Fact]
    public void Register()
    {
        var request = new RegisterRequest(1, TerminalType.Web, "42", "t0k\"en\\");
        var frame = RoundTrip(o => JsonFrameCodec.WriteRegister(o, 11, request), MessageType.Register, 11);

        Assert.True(JsonBodies.TryParseRegister(frame.Data.Span, out var parsed, out _));
        Assert.Equal(request, parsed);
    }

    [Fact]
    public void Register_response_merges_extra_fields_after_code()
    {
        var frame = RoundTrip(
            o => JsonFrameCodec.WriteRegisterResponse(o, 12, RegisterResultCode.Ok, """{"sessionId":"s-1","heartbeat":300,"serverTime":1700000000000,"code":99,"n\u0061me":[1,{"a":null}]}"""u8),
            MessageType.RegResp,
            12);

        Assert.True(JsonBodies.TryParseCode(frame.Data.Span, out var code, out _));
        Assert.Equal(0, code);
        using var data = JsonDocument.Parse(frame.Data);
        Assert.Equal("s-1", data.RootElement.GetProperty("sessionId").GetString());
        Assert.Equal(300, data.RootElement.GetProperty("heartbeat").GetInt32());
        Assert.Equal(1700000000000, data.RootElement.GetProperty("serverTime").GetInt64());
        Assert.Equal("""[1,{"a":null}]""", data.RootElement.GetProperty("name").GetRawText());
        Assert.Equal(5, data.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void Ping_and_pong()
    {
        var ping = RoundTrip(o => JsonFrameCodec.WritePing(o, 13), MessageType.Ping, 13);
        Assert.Equal("{}", Encoding.UTF8.GetString(ping.Data.Span));

        var pong = RoundTrip(o => JsonFrameCodec.WritePong(o, 13, PongCode.NotRegistered), MessageType.Pong, 13);
        Assert.True(JsonBodies.TryParseCode(pong.Data.Span, out var code, out _, codeRequired: false));
        Assert.Equal(1, code);

        // A bare {} PONG (what PROTOCOL.md shows) reads as code 0 when the code is optional.
        Assert.True(JsonBodies.TryParseCode("{}"u8, out code, out _, codeRequired: false));
        Assert.Equal(0, code);
        Assert.False(JsonBodies.TryParseCode("{}"u8, out _, out var error));
        Assert.Equal(ProtocolErrorCode.MissingField, error.Code);
    }

    [Fact]
    public void Push_embeds_envelope_raw()
    {
        var frame = RoundTrip(o => JsonFrameCodec.WritePush(o, 14, 65535, 1, Encoding.UTF8.GetBytes(Envelope)), MessageType.Push, 14);

        using var data = JsonDocument.Parse(frame.Data);
        Assert.Equal(65535, data.RootElement.GetProperty("offline").GetInt32());
        Assert.Equal(1, data.RootElement.GetProperty("flag").GetInt32());
        Assert.Equal(Envelope, data.RootElement.GetProperty("msg").GetRawText());
    }

    [Fact]
    public void Im_down_and_up()
    {
        var down = RoundTrip(o => JsonFrameCodec.WriteImDown(o, 15, 0, Encoding.UTF8.GetBytes(Envelope)), MessageType.Im, 15);
        using (var data = JsonDocument.Parse(down.Data))
        {
            Assert.Equal(0, data.RootElement.GetProperty("flag").GetInt32());
            Assert.Equal(Envelope, data.RootElement.GetProperty("msg").GetRawText());
        }

        const string message = """{"to":"7@qun","type":"text","content":{"text":"hi"},"clientMsgId":"c-1"}""";
        var up = RoundTrip(o => JsonFrameCodec.WriteImUp(o, 16, Encoding.UTF8.GetBytes(message)), MessageType.Im, 16);
        Assert.True(JsonBodies.TryParseImUp(up.Data, out var parsed, out _));
        Assert.Equal(message, Encoding.UTF8.GetString(parsed.Span));
    }

    [Fact]
    public void Callback_and_callback_response()
    {
        const string payload = """{"id":"cb-1","payload":{"question":"ok?"}}""";
        var callback = RoundTrip(o => JsonFrameCodec.WriteCallback(o, 17, Encoding.UTF8.GetBytes(payload)), MessageType.Callback, 17);
        using (var data = JsonDocument.Parse(callback.Data))
        {
            Assert.Equal(payload, data.RootElement.GetProperty("msg").GetRawText());
        }

        var answered = RoundTrip(o => JsonFrameCodec.WriteCallbackResponse(o, 17, 0, "\"o\\u006b\""u8), MessageType.CbResp, 17);
        Assert.True(JsonBodies.TryParseCallbackResponse(answered.Data, out var code, out var answer, out _));
        Assert.Equal(0, code);
        Assert.Equal("ok", Encoding.UTF8.GetString(answer.Span));

        var objectAnswer = RoundTrip(o => JsonFrameCodec.WriteCallbackResponse(o, 18, 2, """{"yes":true}"""u8), MessageType.CbResp, 18);
        Assert.True(JsonBodies.TryParseCallbackResponse(objectAnswer.Data, out code, out answer, out _));
        Assert.Equal(2, code);
        Assert.Equal("""{"yes":true}""", Encoding.UTF8.GetString(answer.Span));

        var none = RoundTrip(o => JsonFrameCodec.WriteCallbackResponse(o, 19, 1), MessageType.CbResp, 19);
        Assert.True(JsonBodies.TryParseCallbackResponse(none.Data, out code, out answer, out _));
        Assert.Equal(1, code);
        Assert.True(answer.IsEmpty);
    }

    [Theory]
    [InlineData(MessageType.PushResp)]
    [InlineData(MessageType.KickResp)]
    [InlineData(MessageType.ImResp)]
    public void Up_responses_carry_a_code(MessageType type)
    {
        var frame = RoundTrip(o => JsonFrameCodec.WriteResponse(o, type, 20, 3), type, 20);
        Assert.True(JsonBodies.TryParseCode(frame.Data.Span, out var code, out _));
        Assert.Equal(3, code);
    }

    [Fact]
    public void Im_response_carries_id_timeline_seq()
    {
        var frame = RoundTrip(
            o => JsonFrameCodec.WriteImResponse(o, 21, ImResultCode.Ok, """{"id":"m9","timeline":"7@qun","seq":12}"""u8),
            MessageType.ImResp,
            21);

        using var data = JsonDocument.Parse(frame.Data);
        Assert.Equal(0, data.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("m9", data.RootElement.GetProperty("id").GetString());
        Assert.Equal("7@qun", data.RootElement.GetProperty("timeline").GetString());
        Assert.Equal(12, data.RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public void Kick()
    {
        var frame = RoundTrip(o => JsonFrameCodec.WriteKick(o, 22, KickReason.LoggedOut), MessageType.Kick, 22);
        using var data = JsonDocument.Parse(frame.Data);
        Assert.Equal(4, data.RootElement.GetProperty("reason").GetInt32());
    }

    [Fact]
    public void Sync_and_sync_response()
    {
        var sync = RoundTrip(o => JsonFrameCodec.WriteSync(o, 23, """{"cursors":{"42@user":10,"7@qun":0}}"""u8), MessageType.Sync, 23);
        Assert.True(SyncRequest.TryParse(sync.Data.Span, out var request, out _));
        Assert.Equal(10, request.Cursors["42@user"]);
        Assert.Equal(0, request.Cursors["7@qun"]);

        var response = RoundTrip(o => JsonFrameCodec.WriteSyncResponse(o, 23, SyncResultCode.Ok, """{"complete":false}"""u8), MessageType.SyncResp, 23);
        using var data = JsonDocument.Parse(response.Data);
        Assert.Equal(0, data.RootElement.GetProperty("code").GetInt32());
        Assert.False(data.RootElement.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public void Writers_reject_invalid_raw_json_without_writing()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => JsonFrameCodec.WritePush(output, 1, 0, 0, "{"u8));
        Assert.Throws<ArgumentException>(() => JsonFrameCodec.WritePush(output, 1, 0, 0, "[]"u8));
        Assert.Throws<ArgumentException>(() => JsonFrameCodec.WriteRegisterResponse(output, 1, 0, "{}{}"u8));
        Assert.Throws<ArgumentException>(() => JsonFrameCodec.WriteCallbackResponse(output, 1, 0, "1 2"u8));
        Assert.Throws<ArgumentException>(() => JsonFrameCodec.WriteRegister(output, 1, new RegisterRequest(1, TerminalType.Pc, "ü", "")));
        Assert.Equal(0, output.WrittenCount);

        // The cached writer still works after a rejected call.
        RoundTrip(o => JsonFrameCodec.WritePing(o, 1), MessageType.Ping, 1);
    }

    private static JsonFrame RoundTrip(Action<ArrayBufferWriter<byte>> write, MessageType type, uint tid)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        using (var document = JsonDocument.Parse(output.WrittenMemory))
        {
            Assert.Equal(["cmd", "tid", "data"], document.RootElement.EnumerateObject().Select(p => p.Name));
        }

        Assert.True(JsonFrameCodec.TryParse(output.WrittenMemory, ProtocolLimits.DefaultMaxTextMessageLength, out var frame, out var error), error.ToString());
        Assert.Equal(type, frame.Type);
        Assert.Equal(tid, frame.Tid);
        return frame;
    }
}
