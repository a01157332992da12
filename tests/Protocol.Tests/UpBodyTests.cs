namespace AppMsg.Protocol.Tests;

/// <summary>The small binary bodies: a leading code, PUSH's fields, JSON bodies.</summary>
public class UpBodyTests
{
    [Fact]
    public void Code_body_splits_code_and_answer()
    {
        Assert.True(CodeBody.TryParse([0], out var code, out var rest, out _));
        Assert.Equal(0, code);
        Assert.True(rest.IsEmpty);

        Assert.True(CodeBody.TryParse([2, 0xAA, 0xBB], out code, out rest, out _));
        Assert.Equal(2, code);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, rest.ToArray());
    }

    [Fact]
    public void Empty_code_body_is_an_error()
    {
        Assert.False(CodeBody.TryParse([], out _, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidBodyLength, error.Code);
    }

    [Fact]
    public void Push_body_reads_offline_big_endian_and_flag()
    {
        Assert.True(PushBody.TryParse([0x01, 0x00, 1, (byte)'{', (byte)'}'], out var offline, out var flag, out var envelope, out _));
        Assert.Equal(256, offline);
        Assert.Equal(1, flag);
        Assert.Equal("{}"u8.ToArray(), envelope.ToArray());

        Assert.False(PushBody.TryParse([0, 0], out _, out _, out _, out var error));
        Assert.Equal(ProtocolErrorCode.InvalidBodyLength, error.Code);
    }

    [Theory]
    [InlineData("{\"to\":\"1@user\",\"content\":{\"text\":\"hi\"}}", true)]
    [InlineData(" {} ", true)]
    [InlineData("", false)]
    [InlineData("[]", false)]
    [InlineData("{} {}", false)]
    [InlineData("{\"a\":}", false)]
    [InlineData("{/*c*/}", false)]
    public void Json_object_bodies_are_validated(string json, bool valid)
    {
        Assert.Equal(valid, JsonBodies.TryValidateObject(System.Text.Encoding.UTF8.GetBytes(json), out var error));
        Assert.Equal(valid, !error.IsError);
    }

    [Fact]
    public void Invalid_utf8_json_body_is_an_error()
    {
        Assert.False(JsonBodies.TryValidateObject([(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'], out var error));
        Assert.Equal(ProtocolErrorCode.InvalidJson, error.Code);
    }
}
