using System.Buffers;

namespace AppMsg.Protocol.Tests;

public class FrameReaderTests
{
    [Fact]
    public void Body_over_max_is_an_error_as_soon_as_the_header_is_in()
    {
        // Only the header of a 101-byte body has arrived.
        byte[] header = [5, 0, 0, 0, 1, 0, 0, 0, 101];
        var buffer = new ReadOnlySequence<byte>(header);

        var status = FrameReader.TryReadFrame(ref buffer, 100, out _, out var error);

        Assert.Equal(FrameReadStatus.Error, status);
        Assert.Equal(ProtocolErrorCode.BodyTooLarge, error.Code);
        Assert.Equal(9, buffer.Length);
    }

    [Fact]
    public void Body_length_near_uint_max_is_too_large_not_an_overflow()
    {
        byte[] header = [5, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF];
        var buffer = new ReadOnlySequence<byte>(header);

        Assert.Equal(FrameReadStatus.Error, FrameReader.TryReadFrame(ref buffer, int.MaxValue, out _, out var error));
        Assert.Equal(ProtocolErrorCode.BodyTooLarge, error.Code);
    }

    [Fact]
    public void Body_exactly_max_is_accepted()
    {
        var body = new byte[ProtocolLimits.DefaultMaxBodyLength];
        new Random(1).NextBytes(body);
        var bytes = FrameWriter.ToArray(MessageType.Push, BodyEncoding.RingXor, 77, body);
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = FrameReader.TryReadFrame(ref buffer, ProtocolLimits.DefaultMaxBodyLength, out var frame, out _);

        Assert.Equal(FrameReadStatus.Frame, status);
        Assert.Equal(body, frame.DecodeBodyToArray());
    }

    [Fact]
    public void Partial_body_needs_more_data_and_consumes_nothing()
    {
        var bytes = FrameWriter.ToArray(MessageType.Im, BodyEncoding.Not, 3, [1, 2, 3, 4]);
        var buffer = new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1);

        Assert.Equal(FrameReadStatus.NeedMoreData, FrameReader.TryReadFrame(ref buffer, 4, out _, out _));
        Assert.Equal(bytes.Length - 1, buffer.Length);
    }

    [Fact]
    public void Zero_max_accepts_only_empty_bodies()
    {
        var empty = new ReadOnlySequence<byte>(FrameWriter.ToArray(MessageType.Sync, BodyEncoding.None, 1, []));
        var one = new ReadOnlySequence<byte>(FrameWriter.ToArray(MessageType.Sync, BodyEncoding.None, 1, [1]));

        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref empty, 0, out _, out _));
        Assert.Equal(FrameReadStatus.Error, FrameReader.TryReadFrame(ref one, 0, out _, out _));
    }

    [Fact]
    public void Negative_max_is_a_programmer_error()
    {
        var buffer = ReadOnlySequence<byte>.Empty;
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameReader.TryReadFrame(ref buffer, -1, out _, out _));
    }

    [Fact]
    public void Decode_body_into_a_short_destination_is_a_programmer_error()
    {
        var buffer = new ReadOnlySequence<byte>(FrameWriter.ToArray(MessageType.Sync, BodyEncoding.None, 1, [1, 2]));
        FrameReader.TryReadFrame(ref buffer, 10, out var frame, out _);

        Assert.Throws<ArgumentException>(() => frame.DecodeBodyTo(new byte[1]));
    }

    [Fact]
    public void Reading_frames_does_not_allocate()
    {
        var stream = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 200; i++)
        {
            FrameWriter.WritePush(stream, (BodyEncoding)(i % 4), (uint)i, 0, 1, new byte[i % 50]);
            FrameWriter.WritePing(stream, BodyEncoding.None, (uint)i);
        }

        var data = stream.WrittenMemory.ToArray();
        var sequence = Segments.Split(data, 3, 100, 101, 2000, 2005, 4000);
        Span<byte> body = stackalloc byte[64];

        ReadAll(sequence, body);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var frames = ReadAll(sequence, body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(400, frames);
        Assert.Equal(0, allocated);
    }

    private static int ReadAll(ReadOnlySequence<byte> buffer, Span<byte> body)
    {
        var count = 0;
        while (FrameReader.TryReadFrame(ref buffer, 64, out var frame, out _) == FrameReadStatus.Frame)
        {
            frame.DecodeBodyTo(body);
            count++;
        }

        return count;
    }
}
