using System.Buffers;
using Xunit.Abstractions;

namespace AppMsg.Protocol.Tests;

/// <summary>
/// Random and mutated byte streams, fed in random chunks, must give exactly what a plain reading of the
/// protocol gives: frames that match the input, a protocol error, or need-more-data; never an exception.
/// </summary>
public class FrameFuzzTests(ITestOutputHelper output)
{
    private const int RandomCases = 60_000;
    private const int MutatedCases = 60_000;

    private static readonly int[] MaxChoices = [0, 1, 5, 8, 66, 100, 255, 1000, ProtocolLimits.DefaultMaxBodyLength, int.MaxValue];

    private readonly byte[] scratch = new byte[1 << 16];

    [Theory]
    [MemberData(nameof(FuzzSeeds.All), MemberType = typeof(FuzzSeeds))]
    public void Random_bytes(int seed)
    {
        output.WriteLine($"fuzz seed {seed} (replay with APPMSG_FUZZ_SEED={seed})");
        var random = new Random(seed);
        var outcomes = new int[3];
        for (var i = 0; i < RandomCases; i++)
        {
            var data = new byte[random.Next(4) == 0 ? random.Next(300) : random.Next(24)];
            random.NextBytes(data);
            if (data.Length > 0 && random.Next(2) == 0)
            {
                data[0] = (byte)((data[0] & 0xC0) | random.Next(1, 15));
            }

            Run(seed, i, data, random, outcomes);
        }

        Report(outcomes);
    }

    [Theory]
    [MemberData(nameof(FuzzSeeds.All), MemberType = typeof(FuzzSeeds))]
    public void Mutated_valid_streams(int seed)
    {
        output.WriteLine($"fuzz seed {seed} (replay with APPMSG_FUZZ_SEED={seed})");
        var random = new Random(seed ^ 0x5A5A5A);
        var outcomes = new int[3];
        for (var i = 0; i < MutatedCases; i++)
        {
            var data = Mutate(ValidStream(random), random);
            Run(seed, i, data, random, outcomes);
        }

        Report(outcomes);
    }

    private void Report(int[] outcomes) =>
        output.WriteLine($"cases ending in need-more-data: {outcomes[0]}, at a frame boundary: {outcomes[1]}, in an error: {outcomes[2]}");

    private void Run(int seed, int index, byte[] data, Random random, int[] outcomes)
    {
        var max = random.Next(3) == 0 ? random.Next(300) : MaxChoices[random.Next(MaxChoices.Length)];
        var pieces = Segments.RandomPieces(data, random, random.Next(2) == 0 ? 4 : 64);
        try
        {
            var final = Stream(data, max, pieces);
            outcomes[(int)final]++;
        }
        catch (Exception exception)
        {
            Assert.Fail($"seed {seed} case {index} max {max} input {Convert.ToHexString(data)}: {exception}");
        }
    }

    /// <summary>Delivers the pieces one by one, reading frames after each, and checks every outcome against the oracle.</summary>
    private FrameReadStatus Stream(byte[] data, int max, ReadOnlyMemory<byte>[] pieces)
    {
        var expected = FrameOracle.Parse(data, max);
        var next = 0;
        long consumed = 0;
        if (pieces.Length == 0)
        {
            var empty = ReadOnlySequence<byte>.Empty;
            Assert.Equal(FrameReadStatus.NeedMoreData, FrameReader.TryReadFrame(ref empty, max, out _, out _));
            return FrameReadStatus.NeedMoreData;
        }

        var chain = Segments.Chain(pieces);
        for (var arrivedPieces = 0; arrivedPieces < chain.Length; arrivedPieces++)
        {
            var buffer = Segments.Through(chain, arrivedPieces).Slice(consumed);
            var arrived = consumed + buffer.Length;
            while (true)
            {
                var item = expected[next];
                Assert.Equal(item.Offset, consumed);
                var status = FrameReader.TryReadFrame(ref buffer, max, out var frame, out var error);
                var available = arrived - consumed;
                if (status == FrameReadStatus.NeedMoreData)
                {
                    Assert.True(available < item.BytesToDecide, $"need-more-data with {available} bytes, {item.BytesToDecide} decide");
                    Assert.Equal(available, buffer.Length);
                    break;
                }

                Assert.Equal(item.Status, status);
                Assert.True(available >= item.BytesToDecide);
                if (status == FrameReadStatus.Error)
                {
                    Assert.Equal(item.Error, error.Code);
                    Assert.Equal(available, buffer.Length);
                    Assert.Equal(expected.Count - 1, next);
                    return status;
                }

                CheckFrame(data, item, frame);
                consumed += item.BytesToDecide;
                Assert.Equal(arrived - consumed, buffer.Length);
                next++;
            }
        }

        Assert.Equal(expected.Count - 1, next);
        return consumed == data.Length ? FrameReadStatus.Frame : FrameReadStatus.NeedMoreData;
    }

    private void CheckFrame(byte[] data, FrameOracle.Item item, Frame frame)
    {
        Assert.Equal(item.Header, frame.Header);
        var bodyStart = item.Offset + frame.Header.Length;
        var encoded = data.AsSpan(bodyStart, frame.BodyLength);
        Assert.True(encoded.SequenceEqual(frame.EncodedBody.ToArray()));

        var body = scratch.AsSpan(0, frame.DecodeBodyTo(scratch));
        BodyEncodings.Encode(body, frame.Encoding);
        Assert.True(encoded.SequenceEqual(body));
        BodyEncodings.Decode(body, frame.Encoding);

        // The body parsers see whatever the frame holds; they must answer, not throw.
        switch (frame.Type)
        {
            case MessageType.Register:
                var parsed = RegisterBody.TryParse(body, out _, out _);
                Assert.False(parsed && body.Length is not (ProtocolLimits.RegisterBodyLength or ProtocolLimits.RegisterWithDeviceBodyLength));
                break;
            case MessageType.Push:
                PushBody.TryParse(body, out _, out _, out _, out _);
                break;
            case MessageType.Sync:
                SyncRequest.TryParse(body, out _, out _);
                break;
            case MessageType.Im:
                JsonBodies.TryValidateObject(body, out _);
                break;
            default:
                if (CodeBody.TryParse(body, out _, out var rest, out _))
                {
                    JsonBodies.TryValidateObject(rest, out _);
                }

                break;
        }
    }

    private static byte[] ValidStream(Random random)
    {
        var output = new ArrayBufferWriter<byte>();
        var count = random.Next(1, 8);
        for (var i = 0; i < count; i++)
        {
            var type = (MessageType)random.Next(1, 15);
            var encoding = (BodyEncoding)random.Next(4);
            var tid = random.Next(4) == 0 ? uint.MaxValue : (uint)random.NextInt64(0, 1L << 32);
            byte[] body = type switch
            {
                MessageType.Ping => [],
                MessageType.Register => ValidRegister(random),
                MessageType.Sync => """{"cursors":{"42@user":3}}"""u8.ToArray(),
                _ => new byte[random.Next(random.Next(8) == 0 ? 400 : 40)],
            };
            if (type is not (MessageType.Register or MessageType.Sync))
            {
                random.NextBytes(body);
            }

            FrameWriter.Write(output, type, encoding, tid, body);
        }

        return output.WrittenSpan.ToArray();
    }

    private static byte[] ValidRegister(Random random)
    {
        var body = new byte[ProtocolLimits.RegisterBodyLength];
        RegisterBody.Write(new RegisterRequest(1, (TerminalType)(1 << random.Next(5)), random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture), "tok"), body);
        return body;
    }

    private static byte[] Mutate(byte[] data, Random random)
    {
        var bytes = new List<byte>(data);
        var mutations = random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    var bit = random.Next(bytes.Count * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1 when bytes.Count > 0:
                    var keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 2:
                    var inserted = new byte[random.Next(1, 12)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(random.Next(bytes.Count + 1), inserted);
                    break;
                case 3 when bytes.Count > 1:
                    var start = random.Next(bytes.Count);
                    var length = random.Next(bytes.Count - start);
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                    break;
                case 4 when bytes.Count > 0:
                    var from = random.Next(bytes.Count);
                    bytes.RemoveRange(from, random.Next(Math.Min(16, bytes.Count - from) + 1));
                    break;
                case 5 when bytes.Count >= 9:
                    // A random header at a random place: known or unknown type, length around the usual maxima.
                    var at = random.Next(bytes.Count - 8);
                    bytes[at] = (byte)random.Next(256);
                    uint[] lengths = [0, 1, 65, 66, 67, 100, 101, 255, 256, 65536, 65537, 0x7FFFFFFF, 0x80000000, uint.MaxValue, (uint)random.Next(512)];
                    var value = lengths[random.Next(lengths.Length)];
                    for (var b = 0; b < 4; b++)
                    {
                        bytes[at + 1 + b] = (byte)random.Next(256);
                        bytes[at + 5 + b] = (byte)(value >> (24 - (8 * b)));
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
