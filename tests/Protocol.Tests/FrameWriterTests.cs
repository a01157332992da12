using System.Buffers;

namespace AppMsg.Protocol.Tests;

public class FrameWriterTests
{
    [Fact]
    public void Write_puts_header_then_encoded_body()
    {
        var output = new ArrayBufferWriter<byte>();

        FrameWriter.Write(output, MessageType.Callback, BodyEncoding.RingXor, 0x01020304, [1, 2, 3]);

        Assert.Equal(new byte[] { (3 << 6) | 7, 1, 2, 3, 4, 0, 0, 0, 3, 1, 3, 0 }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Ping_is_five_bytes()
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WritePing(output, BodyEncoding.Not, 0xFFFFFFFF);
        Assert.Equal(new byte[] { (1 << 6) | 3, 0xFF, 0xFF, 0xFF, 0xFF }, output.WrittenSpan.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.ToArray(MessageType.Ping, BodyEncoding.None, 0, [1]));
    }

    [Fact]
    public void Register_response_has_code_then_json()
    {
        var body = WriteAndDecode(o => FrameWriter.WriteRegisterResponse(o, BodyEncoding.PairSwap, 1, RegisterResultCode.Ok, "{}"u8), out var header);
        Assert.Equal(MessageType.RegResp, header.Type);
        Assert.Equal(BodyEncoding.PairSwap, header.Encoding);
        Assert.Equal("00-7B-7D", BitConverter.ToString(body));

        body = WriteAndDecode(o => FrameWriter.WriteRegisterResponse(o, BodyEncoding.None, 1, RegisterResultCode.AuthenticationFailed), out _);
        Assert.Equal(new byte[] { 3 }, body);
    }

    [Fact]
    public void Down_body_helpers_lay_out_fields_as_specified()
    {
        Assert.Equal(new byte[] { 1 }, WriteAndDecode(o => FrameWriter.WritePong(o, BodyEncoding.Not, 2, PongCode.NotRegistered), out _));
        Assert.Equal(
            new byte[] { 0x01, 0x02, 1, (byte)'{', (byte)'}' },
            WriteAndDecode(o => FrameWriter.WritePush(o, BodyEncoding.RingXor, 3, 0x0102, 1, "{}"u8), out _));
        Assert.Equal(new byte[] { 1, (byte)'{', (byte)'}' }, WriteAndDecode(o => FrameWriter.WriteImDown(o, BodyEncoding.None, 4, 1, "{}"u8), out _));
        Assert.Equal("{}"u8.ToArray(), WriteAndDecode(o => FrameWriter.WriteCallback(o, BodyEncoding.Not, 5, "{}"u8), out _));
        Assert.Equal(new byte[] { 5 }, WriteAndDecode(o => FrameWriter.WriteKick(o, BodyEncoding.None, 6, KickReason.EdgeDraining), out _));
        Assert.Equal(new byte[] { 4 }, WriteAndDecode(o => FrameWriter.WriteImResponse(o, BodyEncoding.None, 7, ImResultCode.OverQuota), out _));
        Assert.Equal(new byte[] { 0, (byte)'{', (byte)'}' }, WriteAndDecode(o => FrameWriter.WriteSyncResponse(o, BodyEncoding.PairSwap, 8, SyncResultCode.Ok, "{}"u8), out _));
    }

    [Fact]
    public void Up_body_helpers_parse_back()
    {
        var request = new RegisterRequest(1, TerminalType.Ios, "42", "secret");
        var body = WriteAndDecode(o => FrameWriter.WriteRegister(o, BodyEncoding.RingXor, 1, request), out var header);
        Assert.Equal(MessageType.Register, header.Type);
        Assert.True(RegisterBody.TryParse(body, out var parsed, out _));
        Assert.Equal(request, parsed);

        body = WriteAndDecode(o => FrameWriter.WriteCodeResponse(o, MessageType.CbResp, BodyEncoding.Not, 2, 0, "yes"u8), out _);
        Assert.True(CodeBody.TryParse(body, out var code, out var rest, out _));
        Assert.Equal(0, code);
        Assert.Equal("yes"u8.ToArray(), rest.ToArray());

        body = WriteAndDecode(o => FrameWriter.WriteImUp(o, BodyEncoding.None, 3, """{"to":"1@user"}"""u8), out _);
        Assert.True(JsonBodies.TryValidateObject(body, out _));

        body = WriteAndDecode(o => FrameWriter.WriteSync(o, BodyEncoding.None, 3, """{"cursors":{"1@user":5}}"""u8), out _);
        Assert.True(SyncRequest.TryParse(body, out var sync, out _));
        Assert.Equal(5, sync.Cursors["1@user"]);
    }

    [Fact]
    public void Encoded_frame_is_built_once_and_written_with_each_connections_tid()
    {
        var shared = EncodedFrame.Push(BodyEncoding.RingXor, 0, 1, """{"id":"m1"}"""u8);
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();

        shared.WriteTo(first, 100);
        shared.WriteTo(second, 0xFFFFFFFF);

        var expectedFirst = new ArrayBufferWriter<byte>();
        FrameWriter.WritePush(expectedFirst, BodyEncoding.RingXor, 100, 0, 1, """{"id":"m1"}"""u8);
        Assert.Equal(expectedFirst.WrittenSpan.ToArray(), first.WrittenSpan.ToArray());
        Assert.Equal(first.WrittenSpan[5..].ToArray(), second.WrittenSpan[5..].ToArray());
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, second.WrittenSpan[1..5].ToArray());
        Assert.Equal(0u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(shared.Bytes.Span[1..]));
        Assert.Equal(shared.Length, shared.ToArray(7).Length);
    }

    [Fact]
    public void Encoded_im_and_generic_frames_match_the_writer()
    {
        var im = EncodedFrame.ImDown(BodyEncoding.Not, 0, "{}"u8);
        var callback = EncodedFrame.Create(MessageType.Callback, BodyEncoding.PairSwap, "{}"u8);

        Assert.Equal(FrameWriter.ToArray(MessageType.Im, BodyEncoding.Not, 9, [0, (byte)'{', (byte)'}']), im.ToArray(9));
        Assert.Equal(FrameWriter.ToArray(MessageType.Callback, BodyEncoding.PairSwap, 9, "{}"u8), callback.ToArray(9));
    }

    [Fact]
    public void Set_tid_patches_bytes_one_to_four()
    {
        var frame = FrameWriter.ToArray(MessageType.Kick, BodyEncoding.None, 1, [1]);
        FrameWriter.SetTid(frame, 0xCAFEBABE);
        Assert.Equal("0BCAFEBABE0000000101", Convert.ToHexString(frame));
    }

    [Fact]
    public void Write_to_a_short_span_is_a_programmer_error()
    {
        Assert.Throws<ArgumentException>(() => FrameWriter.WriteTo(new byte[9], MessageType.Im, BodyEncoding.None, 1, [1]));
    }

    private static byte[] WriteAndDecode(Action<ArrayBufferWriter<byte>> write, out FrameHeader header)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref buffer, 1000, out var frame, out _));
        Assert.True(buffer.IsEmpty);
        header = frame.Header;
        return frame.DecodeBodyToArray();
    }
}
