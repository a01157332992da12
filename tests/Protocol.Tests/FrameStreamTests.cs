using System.Buffers;
using System.IO.Pipelines;

namespace AppMsg.Protocol.Tests;

/// <summary>Frames split and coalesced arbitrarily come out whole and in order.</summary>
public class FrameStreamTests
{
    private const int MaxBody = 2048;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 64)]
    [InlineData(4, 4096)]
    public async Task Frames_through_a_pipe_in_random_chunks_come_out_identical(int seed, int maxChunk)
    {
        var random = new Random(seed);
        var (expected, data) = RandomStream(random, 500);
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 64, useSynchronizationContext: false));

        var writing = Task.Run(async () =>
        {
            var chunkRandom = new Random(seed * 31);
            var offset = 0;
            while (offset < data.Length)
            {
                var size = Math.Min(1 + chunkRandom.Next(maxChunk), data.Length - offset);
                await pipe.Writer.WriteAsync(data.AsMemory(offset, size));
                offset += size;
            }

            await pipe.Writer.CompleteAsync();
        });

        var actual = new List<DecodedFrame>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            ReadFrames(ref buffer, actual);
            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                Assert.True(buffer.IsEmpty);
                break;
            }
        }

        await pipe.Reader.CompleteAsync();
        await writing;
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(11, 3)]
    [InlineData(12, 17)]
    [InlineData(13, 300)]
    public void Frames_in_a_multi_segment_sequence_come_out_identical(int seed, int maxPiece)
    {
        var random = new Random(seed);
        var (expected, data) = RandomStream(random, 300);
        var buffer = Segments.Create(Segments.RandomPieces(data, random, maxPiece));

        var actual = new List<DecodedFrame>();
        ReadFrames(ref buffer, actual);

        Assert.True(buffer.IsEmpty);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Header_split_across_empty_and_single_byte_segments_is_read()
    {
        var data = FrameWriter.ToArray(MessageType.Im, BodyEncoding.PairSwap, 0xA1B2C3D4, [1, 2, 3, 4, 5]);
        var buffer = Segments.Create(
            data.AsMemory(0, 1), ReadOnlyMemory<byte>.Empty, data.AsMemory(1, 3), data.AsMemory(4, 5), data.AsMemory(9));

        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref buffer, 5, out var frame, out _));
        Assert.Equal(0xA1B2C3D4, frame.Tid);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, frame.DecodeBodyToArray());
    }

    private static void ReadFrames(ref ReadOnlySequence<byte> buffer, List<DecodedFrame> frames)
    {
        FrameReadStatus status;
        while ((status = FrameReader.TryReadFrame(ref buffer, MaxBody, out var frame, out _)) == FrameReadStatus.Frame)
        {
            frames.Add(new DecodedFrame(frame.Header, Convert.ToHexString(frame.DecodeBodyToArray())));
        }

        Assert.Equal(FrameReadStatus.NeedMoreData, status);
    }

    private static (List<DecodedFrame> Frames, byte[] Data) RandomStream(Random random, int count)
    {
        var frames = new List<DecodedFrame>();
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < count; i++)
        {
            var type = (MessageType)random.Next(1, 15);
            var encoding = (BodyEncoding)random.Next(4);
            var tid = (uint)random.NextInt64(0, 1L << 32);
            var body = new byte[type == MessageType.Ping ? 0 : random.Next(random.Next(10) == 0 ? MaxBody + 1 : 40)];
            random.NextBytes(body);
            FrameWriter.Write(output, type, encoding, tid, body);
            frames.Add(new DecodedFrame(new FrameHeader(type, encoding, tid, (uint)body.Length), Convert.ToHexString(body)));
        }

        return (frames, output.WrittenMemory.ToArray());
    }

    private sealed record DecodedFrame(FrameHeader Header, string BodyHex);
}
