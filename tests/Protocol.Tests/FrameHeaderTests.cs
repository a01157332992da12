using System.Buffers;

namespace AppMsg.Protocol.Tests;

public class FrameHeaderTests
{
    [Fact]
    public void Header_fields_are_big_endian_and_encoding_is_in_top_bits()
    {
        byte[] bytes = [(3 << 6) | 5, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x01, 0x02];

        var status = FrameHeader.TryParse(bytes, out var header, out var error);

        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.False(error.IsError);
        Assert.Equal(new FrameHeader(MessageType.Push, BodyEncoding.RingXor, 0x12345678, 0x0102), header);
        Assert.Equal(FrameHeader.Size, header.Length);
        Assert.Equal(9 + 0x0102, header.FrameLength);
    }

    [Fact]
    public void Ping_is_five_bytes_without_length()
    {
        byte[] bytes = [(1 << 6) | 3, 0xFF, 0xFF, 0xFF, 0xFF];

        var status = FrameHeader.TryParse(bytes, out var header, out _);

        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.Equal(MessageType.Ping, header.Type);
        Assert.Equal(BodyEncoding.Not, header.Encoding);
        Assert.Equal(uint.MaxValue, header.Tid);
        Assert.Equal(0u, header.BodyLength);
        Assert.Equal(FrameHeader.PingSize, header.Length);
    }

    [Fact]
    public void Ping_frame_is_read_and_consumed_with_the_next_frame_untouched()
    {
        byte[] bytes = [3, 0, 0, 0, 7, 4, 0, 0, 0, 8, 0, 0, 0, 1, 0];
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref buffer, 100, out var ping, out _));
        Assert.Equal(MessageType.Ping, ping.Type);
        Assert.Equal(7u, ping.Tid);
        Assert.Equal(0, ping.BodyLength);
        Assert.Equal(10, buffer.Length);

        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref buffer, 100, out var pong, out _));
        Assert.Equal(MessageType.Pong, pong.Type);
        Assert.Equal(8u, pong.Tid);
        Assert.Equal(new byte[] { 0 }, pong.DecodeBodyToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFEu)]
    [InlineData(0xFFFFFFFFu)]
    public void Tid_values_round_trip_including_wrap_values(uint tid)
    {
        var bytes = FrameWriter.ToArray(MessageType.KickResp, BodyEncoding.None, tid, [0]);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref buffer, 10, out var frame, out _));
        Assert.Equal(tid, frame.Tid);
        Assert.Equal((byte)(tid >> 24), bytes[1]);
        Assert.Equal((byte)tid, bytes[4]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(63)]
    [InlineData((2 << 6) | 0)]
    [InlineData((3 << 6) | 15)]
    public void Unknown_type_is_an_error_from_the_first_byte(int firstByte)
    {
        var buffer = new ReadOnlySequence<byte>([(byte)firstByte]);

        var status = FrameReader.TryReadFrame(ref buffer, 100, out _, out var error);

        Assert.Equal(FrameReadStatus.Error, status);
        Assert.Equal(ProtocolErrorCode.UnknownType, error.Code);
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void Every_known_type_is_accepted()
    {
        for (var type = 1; type <= 14; type++)
        {
            Assert.True(MessageTypes.IsKnown(type));
            var bytes = FrameWriter.ToArray((MessageType)type, BodyEncoding.None, 1, type == 3 ? [] : [1, 2]);
            var buffer = new ReadOnlySequence<byte>(bytes);
            Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref buffer, 2, out var frame, out _));
            Assert.Equal((MessageType)type, frame.Type);
        }

        Assert.False(MessageTypes.IsKnown(0));
        Assert.False(MessageTypes.IsKnown(15));
        Assert.False(MessageTypes.IsKnown(-1));
        Assert.False(((MessageType)255).IsKnown());
    }

    [Fact]
    public void Directions_follow_the_message_table()
    {
        MessageType[] up = [MessageType.Register, MessageType.Ping, MessageType.PushResp, MessageType.CbResp, MessageType.Im, MessageType.ImResp, MessageType.KickResp, MessageType.Sync];
        MessageType[] down = [MessageType.RegResp, MessageType.Pong, MessageType.Push, MessageType.Callback, MessageType.Im, MessageType.ImResp, MessageType.Kick, MessageType.SyncResp];
        for (var type = (MessageType)1; type <= MessageType.SyncResp; type++)
        {
            Assert.Equal(up.Contains(type), type.IsUp());
            Assert.Equal(down.Contains(type), type.IsDown());
        }

        Assert.False(((MessageType)0).IsUp());
        Assert.False(((MessageType)15).IsDown());
    }

    [Fact]
    public void Partial_header_needs_more_data()
    {
        var bytes = FrameWriter.ToArray(MessageType.Push, BodyEncoding.None, 9, [1, 2, 3]);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(FrameReadStatus.NeedMoreData, FrameReader.TryReadFrame(ref buffer, 100, out _, out var error));
            Assert.False(error.IsError);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void Constructor_rejects_programmer_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameHeader(0, BodyEncoding.None, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameHeader(MessageType.Im, (BodyEncoding)4, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameHeader(MessageType.Ping, BodyEncoding.None, 0, 1));
    }
}
