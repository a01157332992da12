using System.Buffers;
using AppMsg.Client.Internal;
using AppMsg.Client.Transports;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

/// <summary>The client's frames read back with the protocol library's reader, and the server's frames read by the client, in every encoding.</summary>
public sealed class BinaryFormatTests
{
    public static TheoryData<BodyEncoding> Encodings => [BodyEncoding.None, BodyEncoding.Not, BodyEncoding.PairSwap, BodyEncoding.RingXor];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void REGISTER_reads_back_as_the_server_reads_it(BodyEncoding encoding)
    {
        var request = new RegisterRequest(1, TerminalType.Ios, "user-42", new string('t', 32));
        var frame = ReadOne(Write(OutboundMessage.ForRegister(0xDEADBEEF, request), encoding), out var header);

        Assert.Equal(MessageType.Register, header.Type);
        Assert.Equal(encoding, header.Encoding);
        Assert.Equal(0xDEADBEEFu, header.Tid);
        Assert.True(RegisterBody.TryParse(frame, out var parsed, out _));
        Assert.Equal(request, parsed);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void PING_is_five_bytes(BodyEncoding encoding)
    {
        var bytes = Write(OutboundMessage.ForPing(77), encoding);
        Assert.Equal(FrameHeader.PingSize, bytes.Length);
        ReadOne(bytes, out var header);
        Assert.Equal(MessageType.Ping, header.Type);
        Assert.Equal(77u, header.Tid);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Acknowledgements_carry_the_code_and_the_answer(BodyEncoding encoding)
    {
        foreach (var type in new[] { MessageType.PushResp, MessageType.ImResp, MessageType.KickResp })
        {
            var body = ReadOne(Write(OutboundMessage.ForResponse(type, 5, 0), encoding), out var header);
            Assert.Equal(type, header.Type);
            Assert.Equal([0], body);
        }

        var answer = ReadOne(Write(OutboundMessage.ForResponse(MessageType.CbResp, 6, 2, "ok\u00e9"u8.ToArray()), encoding), out _);
        Assert.True(CodeBody.TryParse(answer, out var code, out var rest, out _));
        Assert.Equal(2, code);
        Assert.Equal("ok\u00e9"u8.ToArray(), rest.ToArray());
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void IM_and_SYNC_bodies_are_the_JSON(BodyEncoding encoding)
    {
        var im = "{\"to\":\"7@user\",\"type\":\"text\",\"content\":{\"text\":\"hi\"},\"clientMsgId\":\"c1\"}"u8.ToArray();
        Assert.Equal(im, ReadOne(Write(OutboundMessage.ForImUp(1, im), encoding), out var imHeader));
        Assert.Equal(MessageType.Im, imHeader.Type);

        var sync = "{\"cursors\":{\"7@user\":12}}"u8.ToArray();
        var body = ReadOne(Write(OutboundMessage.ForSync(2, sync), encoding), out var syncHeader);
        Assert.Equal(MessageType.Sync, syncHeader.Type);
        Assert.True(SyncRequest.TryParse(body, out var parsed, out _));
        Assert.Equal(12, parsed.Cursors["7@user"]);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Server_frames_read_as_the_server_meant_them(BodyEncoding encoding)
    {
        var envelope = "{\"id\":\"m1\",\"timeline\":\"7@user\",\"seq\":3}"u8.ToArray();
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteRegisterResponse(output, encoding, 1, RegisterResultCode.Ok, "{\"sessionId\":\"s1\",\"heartbeat\":300}"u8);
        FrameWriter.WritePong(output, encoding, 2, PongCode.NotRegistered);
        FrameWriter.WritePush(output, encoding, 3, offline: 513, flag: 1, envelope);
        FrameWriter.WriteImDown(output, encoding, 4, 1, envelope);
        FrameWriter.WriteCallback(output, encoding, 5, "{\"id\":\"cb\",\"payload\":1}"u8);
        FrameWriter.WriteKick(output, encoding, 6, KickReason.LoggedOut);
        FrameWriter.WriteImResponse(output, encoding, 7, ImResultCode.NotAllowed);
        FrameWriter.WriteSyncResponse(output, encoding, 8, SyncResultCode.Ok, "{\"complete\":true}"u8);

        var sink = new RecordingSink();
        using var receiver = new BinaryReceiver(ProtocolLimits.DefaultMaxBodyLength);
        var (consumed, stop) = await receiver.DrainAsync(new ReadOnlySequence<byte>(output.WrittenMemory), sink);

        Assert.Null(stop);
        Assert.Equal(output.WrittenCount, new ReadOnlySequence<byte>(output.WrittenMemory).Slice(0, consumed).Length);
        Assert.Equal(
            [
                (MessageType.RegResp, 1u, (byte)0, (ushort)0, "{\"sessionId\":\"s1\",\"heartbeat\":300}"),
                (MessageType.Pong, 2u, (byte)1, (ushort)0, ""),
                (MessageType.Push, 3u, (byte)1, (ushort)513, Text(envelope)),
                (MessageType.Im, 4u, (byte)1, (ushort)0, Text(envelope)),
                (MessageType.Callback, 5u, (byte)0, (ushort)0, "{\"id\":\"cb\",\"payload\":1}"),
                (MessageType.Kick, 6u, (byte)KickReason.LoggedOut, (ushort)0, ""),
                (MessageType.ImResp, 7u, (byte)ImResultCode.NotAllowed, (ushort)0, ""),
                (MessageType.SyncResp, 8u, (byte)0, (ushort)0, "{\"complete\":true}"),
            ],
            sink.Messages);
    }

    [Fact]
    public async Task Frames_split_anywhere_over_segments_are_read_whole()
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WritePush(output, BodyEncoding.RingXor, 10, 0, 0, "{\"id\":\"a\"}"u8);
        FrameWriter.WritePong(output, BodyEncoding.RingXor, 11, PongCode.Ok);
        FrameWriter.WritePush(output, BodyEncoding.RingXor, 12, 1, 0, "{\"id\":\"b\"}"u8);
        var bytes = output.WrittenSpan.ToArray();

        for (var split = 0; split <= bytes.Length; split++)
        {
            var sink = new RecordingSink();
            using var receiver = new BinaryReceiver(ProtocolLimits.DefaultMaxBodyLength);
            var (_, stop) = await receiver.DrainAsync(Segments.Of(bytes[..split], bytes[split..]), sink);
            Assert.Null(stop);
            Assert.Equal([10u, 11u, 12u], sink.Messages.Select(m => m.Tid));
        }

        // Byte by byte: only whole frames come out, and each is consumed exactly.
        var fed = new List<byte>();
        var seen = new List<uint>();
        using var bytewise = new BinaryReceiver(ProtocolLimits.DefaultMaxBodyLength);
        foreach (var b in bytes)
        {
            fed.Add(b);
            var sink = new RecordingSink();
            var sequence = new ReadOnlySequence<byte>(fed.ToArray());
            var (consumed, _) = await bytewise.DrainAsync(sequence, sink);
            seen.AddRange(sink.Messages.Select(m => m.Tid));
            fed.RemoveRange(0, (int)sequence.Slice(0, consumed).Length);
        }

        Assert.Equal([10u, 11u, 12u], seen);
        Assert.Empty(fed);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0, 0, 0, 1, 0, 0, 0, 0 }, "unknown")]
    [InlineData(new byte[] { 0x01, 0, 0, 0, 1, 0, 0, 0, 0 }, "server does not send")]
    [InlineData(new byte[] { 0x06, 0, 0, 0, 1, 0, 0, 0, 1, 0 }, "server does not send")]
    [InlineData(new byte[] { 0x02, 0, 0, 0, 1, 0, 0, 0, 0 }, "code")]
    [InlineData(new byte[] { 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0 }, "PUSH")]
    [InlineData(new byte[] { 0x05, 0, 0, 0, 1, 0, 1, 0, 1 }, "maximum")]
    public async Task What_a_server_must_not_send_stops_the_loop_with_a_protocol_error(byte[] frame, string reason)
    {
        var sink = new RecordingSink();
        using var receiver = new BinaryReceiver(maxBodyLength: 1024);
        var (_, stop) = await receiver.DrainAsync(new ReadOnlySequence<byte>(frame), sink);
        Assert.NotNull(stop);
        Assert.StartsWith("protocol error", stop, StringComparison.Ordinal);
        Assert.Contains(reason, stop, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(sink.Messages);
    }

    private static string Text(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8);

    private static byte[] Write(OutboundMessage message, BodyEncoding encoding)
    {
        var output = new ArrayBufferWriter<byte>();
        BinaryFormat.Write(output, message, encoding);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] ReadOne(byte[] bytes, out FrameHeader header)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref sequence, ProtocolLimits.DefaultMaxBodyLength, out var frame, out _));
        Assert.True(sequence.IsEmpty);
        header = frame.Header;
        return frame.DecodeBodyToArray();
    }
}
