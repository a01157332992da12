using System.Text;

namespace AppMsg.Protocol.Tests;

/// <summary>Parsing the envelope of text messages, and its errors.</summary>
public class JsonFrameCodecTests
{
    private const int Max = ProtocolLimits.DefaultMaxTextMessageLength;

    [Fact]
    public void Parses_cmd_tid_and_data_slice()
    {
        var text = Utf8("""{"cmd":1,"tid":4294967295,"data":{"version":1,"termType":2}}""");

        Assert.True(JsonFrameCodec.TryParse(text, Max, out var frame, out var error));

        Assert.False(error.IsError);
        Assert.Equal(MessageType.Register, frame.Type);
        Assert.Equal(uint.MaxValue, frame.Tid);
        Assert.Equal("""{"version":1,"termType":2}""", Encoding.UTF8.GetString(frame.Data.Span));
    }

    [Theory]
    [InlineData("""{"tid":1,"cmd":3}""")]
    [InlineData("""{"cmd":3,"tid":1,"data":null}""")]
    [InlineData(""" {"cmd":3, "extra":[1,{"x":2}], "tid":1, "data":{}} """)]
    [InlineData("""{"c\u006dd":3,"tid":1}""")]
    public void Field_order_whitespace_unknown_fields_and_escapes_are_accepted(string json)
    {
        Assert.True(JsonFrameCodec.TryParse(Utf8(json), Max, out var frame, out _));
        Assert.Equal(MessageType.Ping, frame.Type);
        Assert.Equal(1u, frame.Tid);
        Assert.Equal("{}", Encoding.UTF8.GetString(frame.Data.Span));
    }

    [Theory]
    [InlineData("", ProtocolErrorCode.InvalidJson)]
    [InlineData("garbage", ProtocolErrorCode.InvalidJson)]
    [InlineData("{", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"cmd\":1,\"tid\":1", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"cmd\":1,\"tid\":1,}", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"cmd\":1,\"tid\":1} x", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"cmd\":1,\"tid\":1}{}", ProtocolErrorCode.InvalidJson)]
    [InlineData("[1,2]", ProtocolErrorCode.InvalidJson)]
    [InlineData("42", ProtocolErrorCode.InvalidJson)]
    [InlineData("\"cmd\"", ProtocolErrorCode.InvalidJson)]
    [InlineData("null", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"tid\":1}", ProtocolErrorCode.MissingField)]
    [InlineData("{\"cmd\":1}", ProtocolErrorCode.MissingField)]
    [InlineData("{\"cmd\":\"1\",\"tid\":1}", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("{\"cmd\":1,\"tid\":\"1\"}", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("{\"cmd\":1,\"tid\":1,\"data\":[]}", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("{\"cmd\":1,\"tid\":1,\"data\":\"x\"}", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("{\"cmd\":1,\"tid\":4294967296}", ProtocolErrorCode.InvalidField)]
    [InlineData("{\"cmd\":1,\"tid\":99999999999999999999999}", ProtocolErrorCode.InvalidField)]
    [InlineData("{\"cmd\":1,\"tid\":-1}", ProtocolErrorCode.InvalidField)]
    [InlineData("{\"cmd\":1,\"tid\":1.5}", ProtocolErrorCode.InvalidField)]
    [InlineData("{\"cmd\":0,\"tid\":1}", ProtocolErrorCode.UnknownType)]
    [InlineData("{\"cmd\":15,\"tid\":1}", ProtocolErrorCode.UnknownType)]
    [InlineData("{\"cmd\":-3,\"tid\":1}", ProtocolErrorCode.UnknownType)]
    [InlineData("{\"cmd\":3.5,\"tid\":1}", ProtocolErrorCode.UnknownType)]
    [InlineData("{\"cmd\":1e40,\"tid\":1}", ProtocolErrorCode.UnknownType)]
    [InlineData("{\"cmd\":1,\"cmd\":2,\"tid\":1}", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"cmd\":1,\"tid\":1,\"tid\":2}", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"cmd\":1,\"tid\":1,\"data\":{},\"data\":{}}", ProtocolErrorCode.InvalidJson)]
    [InlineData("{\"cmd\":1,/*c*/\"tid\":1}", ProtocolErrorCode.InvalidJson)]
    public void Bad_input_is_an_error(string json, ProtocolErrorCode expected)
    {
        Assert.False(JsonFrameCodec.TryParse(Utf8(json), Max, out _, out var error));
        Assert.Equal(expected, error.Code);
        Assert.NotEmpty(error.Reason);
    }

    [Fact]
    public void Invalid_utf8_is_an_error()
    {
        byte[] text = [.. "{\"cmd\":3,\"tid\":1,\"x\":\""u8, 0xC0, 0xAF, .. "\"}"u8];
        Assert.False(JsonFrameCodec.TryParse(text, Max, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidJson, error.Code);
    }

    [Fact]
    public void Over_long_input_is_an_error_before_parsing()
    {
        var text = Utf8("""{"cmd":3,"tid":1}""");
        Assert.True(JsonFrameCodec.TryParse(text, text.Length, out _, out _));
        Assert.False(JsonFrameCodec.TryParse(text, text.Length - 1, out _, out var error));
        Assert.Equal(ProtocolErrorCode.MessageTooLarge, error.Code);
    }

    [Fact]
    public void Deep_nesting_is_an_error()
    {
        var deep = new string('[', 100) + new string(']', 100);
        Assert.False(JsonFrameCodec.TryParse(Utf8($$"""{"cmd":3,"tid":1,"x":{{deep}}}"""), Max, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidJson, error.Code);
    }

    [Fact]
    public void Negative_max_is_a_programmer_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonFrameCodec.TryParse(Utf8("{}"), -1, out _, out _));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
