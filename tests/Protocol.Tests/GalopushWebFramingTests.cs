using System.Buffers;
using System.Text;

namespace AppMsg.Protocol.Tests;

public class GalopushWebFramingTests
{
    [Fact]
    public void Wrap_is_base64_of_ring_xor_encoded_json()
    {
        // "{}" = [0x7B, 0x7D]: b1 = 0x7D^0x7B = 0x06, then b0 = 0x7B^0x06 = 0x7D; base64 of [0x7D, 0x06] is "fQY=".
        Assert.Equal("fQY=", GalopushWebFraming.Wrap("{}"u8));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"cmd":3,"tid":1}""")]
    [InlineData("""{"cmd":1,"tid":7,"data":{"version":1,"termType":8,"id":"héllo","token":"x"}}""")]
    public void Round_trip_through_every_unwrap(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var output = new ArrayBufferWriter<byte>();
        GalopushWebFraming.Wrap(bytes, output);
        var text = GalopushWebFraming.Wrap(bytes);
        Assert.Equal(text, Encoding.ASCII.GetString(output.WrittenSpan));
        Assert.True(GalopushWebFraming.IsWrapped(output.WrittenSpan));

        var destination = new byte[GalopushWebFraming.GetMaxUnwrappedLength(text.Length)];
        Assert.True(GalopushWebFraming.TryUnwrap(output.WrittenSpan, destination, out var written, out _));
        Assert.Equal(json, Encoding.UTF8.GetString(destination, 0, written));

        Assert.True(GalopushWebFraming.TryUnwrap(text.AsSpan(), destination, out written, out _));
        Assert.Equal(json, Encoding.UTF8.GetString(destination, 0, written));

        var inPlace = Encoding.ASCII.GetBytes("  " + text + "\n");
        Assert.True(GalopushWebFraming.TryUnwrapInPlace(inPlace, out written, out _));
        Assert.Equal(json, Encoding.UTF8.GetString(inPlace, 0, written));
    }

    [Fact]
    public void Unwrapped_message_parses_as_a_text_frame()
    {
        var wrapped = Encoding.ASCII.GetBytes(GalopushWebFraming.Wrap("""{"cmd":3,"tid":9}"""u8));

        Assert.True(GalopushWebFraming.TryUnwrapInPlace(wrapped, out var length, out _));
        Assert.True(JsonFrameCodec.TryParse(wrapped.AsMemory(0, length), 1000, out var frame, out _));
        Assert.Equal(MessageType.Ping, frame.Type);
        Assert.Equal(9u, frame.Tid);
    }

    [Theory]
    [InlineData("{\"cmd\":3}", false)]
    [InlineData("  {\"cmd\":3}", false)]
    [InlineData("fQY=", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    public void Is_wrapped_looks_at_the_first_non_whitespace_byte(string text, bool wrapped)
    {
        Assert.Equal(wrapped, GalopushWebFraming.IsWrapped(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("not base64!", ProtocolErrorCode.InvalidBase64)]
    [InlineData("fQY", ProtocolErrorCode.InvalidBase64)]
    [InlineData("fQY=fQY=", ProtocolErrorCode.InvalidBase64)]
    [InlineData("ééé", ProtocolErrorCode.InvalidBase64)]
    [InlineData("", ProtocolErrorCode.InvalidJson)]
    [InlineData("AAAA", ProtocolErrorCode.InvalidJson)]
    public void Garbage_is_an_error(string text, ProtocolErrorCode expected)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var destination = new byte[GalopushWebFraming.GetMaxUnwrappedLength(utf8.Length) + 3];

        Assert.False(GalopushWebFraming.TryUnwrap(utf8, destination, out var written, out var error));
        Assert.Equal(expected, error.Code);
        Assert.Equal(0, written);

        Assert.False(GalopushWebFraming.TryUnwrap(text.AsSpan(), destination, out _, out error));
        Assert.Equal(expected, error.Code);

        Assert.False(GalopushWebFraming.TryUnwrapInPlace(utf8, out _, out error));
        Assert.Equal(expected, error.Code);
    }

    [Fact]
    public void Short_destination_is_a_programmer_error()
    {
        Assert.Throws<ArgumentException>(() => GalopushWebFraming.TryUnwrap("fQY="u8, new byte[2], out _, out _));
    }
}
