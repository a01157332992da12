using System.Buffers;
using System.Text;
using AppMsg.Protocol;

namespace AppMsg.Fuzz;

/// <summary>One fuzz target: it must return for every input; an exception is a bug the fuzzer saves.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>
/// The device protocol's parsers as the edge drives them with bytes from the network. Each target also checks what
/// a parser promises (an error when it refuses, the same answer from two ways of doing one thing), throwing when a
/// promise is broken, so the fuzzer finds wrong answers as well as exceptions.
/// </summary>
public static class FuzzTargets
{
    private static readonly (string Name, FuzzTarget Target)[] All =
    [
        ("binary-frames", BinaryFrames),
        ("json-frames", JsonFrames),
        ("galopush-web", GalopushWeb),
        ("register", Register),
    ];

    public static IEnumerable<string> Names => All.Select(t => t.Name);

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name).Target;

    /// <summary>
    /// A TCP byte stream: the first byte chooses how the rest is cut into segments (as a pipe delivers it); frames are
    /// read until the input ends or is refused, each body decoded, and a REGISTER body parsed.
    /// </summary>
    public static void BinaryFrames(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var buffer = Segments(input[1..], input[0] % 7 + 1);
        var length = buffer.Length;
        Span<byte> body = stackalloc byte[ProtocolLimits.RegisterBodyLength];
        while (true)
        {
            var status = FrameReader.TryReadFrame(ref buffer, ProtocolLimits.DefaultMaxBodyLength, out var frame, out var error);
            if (status != FrameReadStatus.Frame)
            {
                Check(status != FrameReadStatus.Error || error.IsError, "an error status without an error");
                Check(buffer.Length <= length, "the reader grew the input");
                return;
            }

            Check(buffer.Length < length, "a frame that consumed nothing");
            length = buffer.Length;
            if (!BodyEncodings.IsDefined(frame.Encoding))
            {
                continue;
            }

            var decoded = frame.DecodeBodyToArray();
            Check(decoded.Length == frame.BodyLength, "a decoded body of another length");
            if (frame.Type == MessageType.Register && decoded.Length == body.Length)
            {
                decoded.CopyTo(body);
                RegisterBody.TryParse(body, out _, out _);
            }
        }
    }

    /// <summary>A WebSocket text message in the JSON codec, and every body parser on what it accepts.</summary>
    public static void JsonFrames(ReadOnlySpan<byte> input) => ParseJson(input.ToArray());

    /// <summary>A galopush web message (base64 of a JSON message): both ways of unwrapping agree, and what unwraps is parsed.</summary>
    public static void GalopushWeb(ReadOnlySpan<byte> input)
    {
        GalopushWebFraming.IsWrapped(input);
        var destination = new byte[GalopushWebFraming.GetMaxUnwrappedLength(input.Length)];
        var ok = GalopushWebFraming.TryUnwrap(input, destination, out var written, out var error);
        Check(ok != error.IsError, "an unwrap answer that disagrees with its error");

        var inPlace = input.ToArray();
        var okInPlace = GalopushWebFraming.TryUnwrapInPlace(inPlace, out var inPlaceLength, out _);
        Check(ok == okInPlace, "unwrapping in place answers otherwise");
        if (ok)
        {
            Check(destination.AsSpan(0, written).SequenceEqual(inPlace.AsSpan(0, inPlaceLength)), "unwrapping in place gives other bytes");
            ParseJson(destination[..written]);
        }

        var chars = Encoding.Latin1.GetString(input);
        GalopushWebFraming.TryUnwrap(chars.AsSpan(), new byte[GalopushWebFraming.GetMaxUnwrappedLength(chars.Length)], out _, out _);
    }

    /// <summary>A REGISTER body, binary (66 bytes) and JSON: what parses writes back to a body that parses to the same request.</summary>
    public static void Register(ReadOnlySpan<byte> input)
    {
        if (RegisterBody.TryParse(input, out var binary, out _))
        {
            Span<byte> written = stackalloc byte[RegisterBody.LengthOf(binary)];
            RegisterBody.Write(binary, written);
            Check(RegisterBody.TryParse(written, out var again, out _) && again == binary, "a binary REGISTER does not survive writing");
        }

        if (JsonBodies.TryParseRegister(input, out var json, out _))
        {
            var output = new ArrayBufferWriter<byte>();
            JsonFrameCodec.WriteRegister(output, 1, json);
            Check(JsonFrameCodec.TryParse(output.WrittenMemory, ProtocolLimits.DefaultMaxTextMessageLength, out var frame, out _)
                && JsonBodies.TryParseRegister(frame.Data.Span, out var again, out _) && again == json, "a JSON REGISTER does not survive writing");
        }
    }

    private static void ParseJson(byte[] text)
    {
        if (!JsonFrameCodec.TryParse(text, ProtocolLimits.DefaultMaxTextMessageLength, out var frame, out var error))
        {
            Check(error.IsError, "a refusal without an error");
            return;
        }

        Check(frame.Type.IsKnown(), "a frame of an unknown type");
        var data = frame.Data.Span;
        JsonBodies.TryParseRegister(data, out _, out _);
        JsonBodies.TryParseCode(data, out _, out _);
        JsonBodies.TryParseCallbackResponse(frame.Data, out _, out _, out _);
        if (JsonBodies.TryParseImUp(frame.Data, out var message, out _))
        {
            Check(JsonBodies.TryValidateObject(message.Span, out _), "an IM up message that is not an object");
        }

        SyncRequest.TryParse(data, out _, out _);
    }

    private static ReadOnlySequence<byte> Segments(ReadOnlySpan<byte> data, int segmentLength)
    {
        if (data.Length <= segmentLength)
        {
            return new ReadOnlySequence<byte>(data.ToArray());
        }

        var first = new Segment(data[..segmentLength].ToArray(), 0);
        var last = first;
        for (var at = segmentLength; at < data.Length; at += segmentLength)
        {
            last = last.Append(data.Slice(at, Math.Min(segmentLength, data.Length - at)).ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private static void Check(bool condition, string broken)
    {
        if (!condition)
        {
            throw new InvalidOperationException("broken promise: " + broken);
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
