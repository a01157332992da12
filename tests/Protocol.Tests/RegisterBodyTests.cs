namespace AppMsg.Protocol.Tests;

public class RegisterBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65)]
    [InlineData(67)]
    [InlineData(97)]
    [InlineData(99)]
    [InlineData(132)]
    public void Wrong_size_is_an_error(int size)
    {
        Assert.False(RegisterBody.TryParse(new byte[size], out var request, out var error));
        Assert.Null(request);
        Assert.Equal(ProtocolErrorCode.InvalidBodyLength, error.Code);
    }

    [Fact]
    public void Nul_padded_fields_are_trimmed()
    {
        var body = Body(2, 8, "u-42"u8, "tok.en_1"u8);

        Assert.True(RegisterBody.TryParse(body, out var request, out var error));

        Assert.False(error.IsError);
        Assert.Equal(new RegisterRequest(2, TerminalType.Web, "u-42", "tok.en_1"), request);
        Assert.False(request.IsAnonymous);
    }

    [Fact]
    public void A_98_byte_body_names_the_device_and_writes_back_the_same()
    {
        var request = new RegisterRequest(1, TerminalType.Android, "u-42", "tok", "phone-7f3a");
        var body = new byte[RegisterBody.LengthOf(request)];
        Assert.Equal(ProtocolLimits.RegisterWithDeviceBodyLength, body.Length);
        RegisterBody.Write(request, body);

        Assert.True(RegisterBody.TryParse(body, out var parsed, out _));
        Assert.Equal(request, parsed);
        Assert.Equal(66, RegisterBody.LengthOf(request with { DeviceId = "" }));
    }

    [Fact]
    public void A_device_id_with_bytes_after_its_nul_is_an_error()
    {
        var body = new byte[ProtocolLimits.RegisterWithDeviceBodyLength];
        RegisterBody.Write(new RegisterRequest(1, TerminalType.Android, "u", "t", "dev"), body);
        body[ProtocolLimits.RegisterBodyLength + 5] = (byte)'x';
        Assert.False(RegisterBody.TryParse(body, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidField, error.Code);
    }

    [Fact]
    public void The_json_form_carries_the_device_id()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var request = new RegisterRequest(1, TerminalType.Web, "u-42", "tok", "browser-1");
        JsonFrameCodec.WriteRegister(output, 3, request);
        Assert.True(JsonFrameCodec.TryParse(output.WrittenMemory, ProtocolLimits.DefaultMaxTextMessageLength, out var frame, out _));
        Assert.True(JsonBodies.TryParseRegister(frame.Data.Span, out var parsed, out _));
        Assert.Equal(request, parsed);
        Assert.False(JsonBodies.TryParseRegister("{\"version\":1,\"termType\":8,\"deviceId\":\"a\",\"deviceId\":\"b\"}"u8, out _, out _));
    }

    [Fact]
    public void Log_text_leaves_the_token_out()
    {
        var text = new RegisterRequest(1, TerminalType.Android, "42", "s3cr3t").ToString();
        Assert.Contains("42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_width_fields_without_padding_are_read()
    {
        var id = "0123456789abcdef0123456789abcdef"u8;
        Assert.True(RegisterBody.TryParse(Body(1, 1, id, id), out var request, out _));
        Assert.Equal(32, request.Id.Length);
        Assert.Equal(request.Id, request.Token);
    }

    [Fact]
    public void All_nul_fields_are_an_anonymous_session()
    {
        Assert.True(RegisterBody.TryParse(new byte[66], out var request, out _));
        Assert.True(request.IsAnonymous);
        Assert.Same(string.Empty, request.Id);
        Assert.Equal(TerminalType.None, request.TerminalType);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(65)]
    public void Non_ascii_is_an_error(int position)
    {
        var body = Body(1, 1, "abc"u8, "def"u8);
        body[position] = 0xC3;

        Assert.False(RegisterBody.TryParse(body, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidField, error.Code);
    }

    [Fact]
    public void Control_characters_are_an_error()
    {
        Assert.False(RegisterBody.TryParse(Body(1, 1, "a\nb"u8, "t"u8), out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidField, error.Code);
    }

    [Fact]
    public void Bytes_after_the_padding_are_an_error()
    {
        var body = Body(1, 1, "ab"u8, "t"u8);
        body[2 + 10] = (byte)'x';

        Assert.False(RegisterBody.TryParse(body, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidField, error.Code);
    }

    [Fact]
    public void Write_rejects_fields_it_cannot_encode()
    {
        var body = new byte[66];
        Assert.Throws<ArgumentException>(() => RegisterBody.Write(new RegisterRequest(1, TerminalType.Pc, new string('a', 33), ""), body));
        Assert.Throws<ArgumentException>(() => RegisterBody.Write(new RegisterRequest(1, TerminalType.Pc, "a", "é"), body));
    }

    [Fact]
    public void Terminal_type_checks()
    {
        Assert.True(TerminalTypes.IsSingle(TerminalType.Pc));
        Assert.False(TerminalTypes.IsSingle(TerminalType.None));
        Assert.False(TerminalTypes.IsSingle(TerminalType.Android | TerminalType.Ios));
        Assert.False(TerminalTypes.IsSingle((TerminalType)32));
        Assert.True(TerminalTypes.IsValidMask(TerminalType.All));
        Assert.False(TerminalTypes.IsValidMask((TerminalType)33));
    }

    private static byte[] Body(byte version, byte terminalType, ReadOnlySpan<byte> id, ReadOnlySpan<byte> token)
    {
        var body = new byte[66];
        body[0] = version;
        body[1] = terminalType;
        id.CopyTo(body.AsSpan(2));
        token.CopyTo(body.AsSpan(34));
        return body;
    }
}
