using System.Text;

namespace AppMsg.Protocol.Tests;

/// <summary>Interpreting the data object per message type.</summary>
public class JsonBodiesTests
{
    [Fact]
    public void Register_maps_to_the_same_request_as_the_binary_form()
    {
        var binary = new byte[66];
        binary[0] = 1;
        binary[1] = 16;
        "7"u8.CopyTo(binary.AsSpan(2));
        "abc"u8.CopyTo(binary.AsSpan(34));
        Assert.True(RegisterBody.TryParse(binary, out var fromBinary, out _));

        Assert.True(JsonBodies.TryParseRegister("""{"version":1,"termType":16,"id":"7","token":"abc"}"""u8, out var fromJson, out _));

        Assert.Equal(fromBinary, fromJson);
    }

    [Theory]
    [InlineData("""{"version":1,"termType":1}""")]
    [InlineData("""{"version":1,"termType":1,"id":null,"token":null}""")]
    [InlineData("""{"version":1,"termType":1,"id":"","token":"","other":[]}""")]
    public void Register_without_id_and_token_is_anonymous(string json)
    {
        Assert.True(JsonBodies.TryParseRegister(Encoding.UTF8.GetBytes(json), out var request, out _));
        Assert.True(request.IsAnonymous);
    }

    [Theory]
    [InlineData("""{"termType":1}""", ProtocolErrorCode.MissingField)]
    [InlineData("""{"version":1}""", ProtocolErrorCode.MissingField)]
    [InlineData("""{"version":"1","termType":1}""", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("""{"version":256,"termType":1}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"version":1,"termType":-1}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"version":1,"termType":1,"id":42}""", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("""{"version":1,"termType":1,"id":"0123456789abcdef0123456789abcdefX"}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"version":1,"termType":1,"token":"caf\u00e9"}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"version":1,"termType":1,"token":"a\u0000b"}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"version":1,"version":1,"termType":1}""", ProtocolErrorCode.InvalidJson)]
    [InlineData("""{"version":1,"termType":1,"id":null,"id":"x"}""", ProtocolErrorCode.InvalidJson)]
    [InlineData("""[]""", ProtocolErrorCode.InvalidJson)]
    [InlineData("""{"version":1,""", ProtocolErrorCode.InvalidJson)]
    public void Register_errors(string json, ProtocolErrorCode expected)
    {
        Assert.False(JsonBodies.TryParseRegister(Encoding.UTF8.GetBytes(json), out var request, out var error));
        Assert.Null(request);
        Assert.Equal(expected, error.Code);
    }

    [Theory]
    [InlineData("""{"code":"0"}""", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("""{"code":300}""", ProtocolErrorCode.InvalidField)]
    [InlineData("""{"code":1,"code":2}""", ProtocolErrorCode.InvalidJson)]
    [InlineData("""{"msg":1}""", ProtocolErrorCode.MissingField)]
    public void Code_errors(string json, ProtocolErrorCode expected)
    {
        Assert.False(JsonBodies.TryParseCode(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(expected, error.Code);
        Assert.False(JsonBodies.TryParseCallbackResponse(Encoding.UTF8.GetBytes(json), out _, out _, out error));
        Assert.Equal(expected, error.Code);
    }

    [Theory]
    [InlineData("""{"code":0,"msg":"plain"}""", "plain")]
    [InlineData("""{"code":0,"msg":"tab\there"}""", "tab\there")]
    [InlineData("""{"code":0,"msg":12.5}""", "12.5")]
    [InlineData("""{"code":0,"msg":[1, 2]}""", "[1, 2]")]
    [InlineData("""{"code":0,"msg":null}""", "")]
    [InlineData("""{"msg":"first","code":0}""", "first")]
    public void Callback_answer_is_string_content_or_raw_json(string json, string answer)
    {
        Assert.True(JsonBodies.TryParseCallbackResponse(Encoding.UTF8.GetBytes(json), out _, out var parsed, out _));
        Assert.Equal(answer, Encoding.UTF8.GetString(parsed.Span));
    }

    [Theory]
    [InlineData("""{}""", ProtocolErrorCode.MissingField)]
    [InlineData("""{"msg":null}""", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("""{"msg":"text"}""", ProtocolErrorCode.InvalidFieldType)]
    [InlineData("""{"msg":{},"msg":{}}""", ProtocolErrorCode.InvalidJson)]
    public void Im_up_errors(string json, ProtocolErrorCode expected)
    {
        Assert.False(JsonBodies.TryParseImUp(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(expected, error.Code);
    }
}
