using System.Buffers;
using System.Text;
using Xunit.Abstractions;

namespace AppMsg.Protocol.Tests;

/// <summary>Random and mutated text messages through the JSON codec and galopush unwrapping: an answer, never an exception.</summary>
public class TextFuzzTests(ITestOutputHelper output)
{
    private const int JsonCases = 25_000;
    private const int GalopushCases = 15_000;

    private static readonly byte[][] Tokens =
        [.. new[] { "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-", "1e999", "0", "4294967296", "\"cmd\"", "\"tid\"", "\"data\"", "\"msg\"", "\"code\"", "\\u00", "\\", " ", "\u00e9" }
            .Select(Encoding.UTF8.GetBytes)];

    [Theory]
    [MemberData(nameof(FuzzSeeds.All), MemberType = typeof(FuzzSeeds))]
    public void Json_codec(int seed)
    {
        output.WriteLine($"fuzz seed {seed} (replay with APPMSG_FUZZ_SEED={seed})");
        var random = new Random(seed ^ 0x150);
        var corpus = Corpus();
        var parsed = 0;
        for (var i = 0; i < JsonCases; i++)
        {
            var text = random.Next(10) switch
            {
                0 => RandomBytes(random, 64),
                < 4 => Structured(random),
                _ => Mutate(corpus[random.Next(corpus.Length)], random),
            };
            var max = random.Next(4) == 0 ? random.Next(text.Length + 1) : ProtocolLimits.DefaultMaxTextMessageLength;
            try
            {
                parsed += ParseEverything(text, max) ? 1 : 0;
            }
            catch (Exception exception)
            {
                Assert.Fail($"seed {seed} case {i} input {Convert.ToHexString(text)}: {exception}");
            }
        }

        output.WriteLine($"{parsed} of {JsonCases} parsed as frames");
        Assert.InRange(parsed, 1, JsonCases - 1);
    }

    [Theory]
    [MemberData(nameof(FuzzSeeds.All), MemberType = typeof(FuzzSeeds))]
    public void Galopush_unwrap(int seed)
    {
        output.WriteLine($"fuzz seed {seed} (replay with APPMSG_FUZZ_SEED={seed})");
        var random = new Random(seed ^ 0x6A10);
        var corpus = Corpus().Select(json => Encoding.ASCII.GetBytes(GalopushWebFraming.Wrap(json))).ToArray();
        var unwrapped = 0;
        for (var i = 0; i < GalopushCases; i++)
        {
            var text = random.Next(10) == 0 ? RandomBytes(random, 64) : MutateText(corpus[random.Next(corpus.Length)], random);
            try
            {
                unwrapped += Unwrap(text) ? 1 : 0;
            }
            catch (Exception exception)
            {
                Assert.Fail($"seed {seed} case {i} input {Convert.ToHexString(text)}: {exception}");
            }
        }

        output.WriteLine($"{unwrapped} of {GalopushCases} unwrapped");
        Assert.InRange(unwrapped, 1, GalopushCases - 1);
    }

    private static bool ParseEverything(byte[] text, int max)
    {
        if (!JsonFrameCodec.TryParse(text, max, out var frame, out var error))
        {
            Assert.True(error.IsError);
            return false;
        }

        Assert.True(frame.Type.IsKnown());
        var data = frame.Data.Span;
        Assert.Equal((byte)'{', data[0]);
        Assert.Equal((byte)'}', data[^1]);
        JsonBodies.TryParseRegister(data, out _, out _);
        JsonBodies.TryParseCode(data, out _, out _);
        JsonBodies.TryParseCallbackResponse(frame.Data, out _, out _, out _);
        if (JsonBodies.TryParseImUp(frame.Data, out var message, out _))
        {
            Assert.True(JsonBodies.TryValidateObject(message.Span, out _));
        }

        SyncRequest.TryParse(data, out _, out _);
        return true;
    }

    private static bool Unwrap(byte[] text)
    {
        var destination = new byte[GalopushWebFraming.GetMaxUnwrappedLength(text.Length)];
        var ok = GalopushWebFraming.TryUnwrap(text, destination, out var written, out var error);
        Assert.Equal(ok, !error.IsError);

        var inPlace = text.ToArray();
        var okInPlace = GalopushWebFraming.TryUnwrapInPlace(inPlace, out var inPlaceLength, out _);
        Assert.Equal(ok, okInPlace);
        if (ok)
        {
            Assert.True(destination.AsSpan(0, written).SequenceEqual(inPlace.AsSpan(0, inPlaceLength)));
            ParseEverything(destination[..written], ProtocolLimits.DefaultMaxTextMessageLength);
        }

        var chars = Encoding.Latin1.GetString(text);
        GalopushWebFraming.TryUnwrap(chars.AsSpan(), new byte[GalopushWebFraming.GetMaxUnwrappedLength(chars.Length)], out _, out _);
        GalopushWebFraming.IsWrapped(text);
        return ok;
    }

    private static byte[][] Corpus()
    {
        const string envelope = """{"id":"m1","timeline":"42@user","seq":7,"type":"text","content":{"text":"hi"},"ts":1,"expiresAt":null}""";
        var env = Encoding.UTF8.GetBytes(envelope);
        var writes = new List<Action<ArrayBufferWriter<byte>>>
        {
            o => JsonFrameCodec.WriteRegister(o, 1, new RegisterRequest(1, TerminalType.Web, "42", "token")),
            o => JsonFrameCodec.WriteRegisterResponse(o, 2, RegisterResultCode.Ok, """{"sessionId":"s","heartbeat":300}"""u8),
            o => JsonFrameCodec.WritePing(o, 3),
            o => JsonFrameCodec.WritePong(o, 4, PongCode.Ok),
            o => JsonFrameCodec.WritePush(o, 5, 0, 1, env),
            o => JsonFrameCodec.WriteResponse(o, MessageType.PushResp, 6, 0),
            o => JsonFrameCodec.WriteCallback(o, 7, """{"id":"c","payload":{}}"""u8),
            o => JsonFrameCodec.WriteCallbackResponse(o, 8, 0, "\"yes\""u8),
            o => JsonFrameCodec.WriteImDown(o, 9, 0, env),
            o => JsonFrameCodec.WriteImUp(o, 9, """{"to":"1@qun","type":"text","content":{"text":"x"},"clientMsgId":"c"}"""u8),
            o => JsonFrameCodec.WriteImResponse(o, 10, ImResultCode.Ok, """{"id":"m","timeline":"1@qun","seq":1}"""u8),
            o => JsonFrameCodec.WriteKick(o, 11, KickReason.AnotherLogin),
            o => JsonFrameCodec.WriteResponse(o, MessageType.KickResp, 12, 0),
            o => JsonFrameCodec.WriteSync(o, 13, """{"cursors":{"42@user":3,"1@qun":9}}"""u8),
            o => JsonFrameCodec.WriteSyncResponse(o, 14, SyncResultCode.Ok, """{"complete":true}"""u8),
        };

        return [.. writes.Select(write =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            write(buffer);
            return buffer.WrittenSpan.ToArray();
        })];
    }

    /// <summary>A well-formed message with plausible and implausible values in the places the parsers look at.</summary>
    private static byte[] Structured(Random random)
    {
        string[] cmds = ["1", "2", "3", "6", "8", "9", "10", "12", "13", "0", "15", "-1", "3.5", "\"1\"", "null"];
        string[] tids = ["0", "1", "4294967295", "17", "99", "4294967296", "-1", "1.0", "\"7\""];
        string[] names = ["version", "termType", "id", "token", "code", "msg", "cursors", "other", "v\u0065rsion"];
        var data = new StringBuilder("{");
        var fields = random.Next(5);
        for (var f = 0; f < fields; f++)
        {
            data.Append(f == 0 ? "" : ",").Append('"').Append(names[random.Next(names.Length)]).Append("\":").Append(Value(random, 2));
        }

        data.Append('}');
        var message = random.Next(8) switch
        {
            0 => $"{{\"tid\":{tids[random.Next(tids.Length)]},\"cmd\":{cmds[random.Next(cmds.Length)]}}}",
            1 => $"{{\"cmd\":{cmds[random.Next(cmds.Length)]},\"tid\":{tids[random.Next(tids.Length)]},\"data\":{Value(random, 2)}}}",
            _ => $"{{\"cmd\":{cmds[random.Next(cmds.Length)]},\"tid\":{tids[random.Next(tids.Length)]},\"data\":{data}}}",
        };
        return Encoding.UTF8.GetBytes(message);
    }

    private static string Value(Random random, int depth)
    {
        string[] scalars =
        [
            "0", "1", "8", "255", "256", "-1", "1.5", "1e3", "9223372036854775807", "9223372036854775808",
            "null", "true", "\"\"", "\"42@user\"", "\"x\\u0000y\"", "\"caf\u00e9\"", "\"0123456789abcdef0123456789abcdef!\"",
        ];
        return random.Next(depth > 0 ? 4 : 1) switch
        {
            0 or 1 => scalars[random.Next(scalars.Length)],
            2 => "{" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(i => $"\"{i % 2}@qun\":{Value(random, depth - 1)}")) + "}",
            _ => "[" + string.Join(',', Enumerable.Range(0, random.Next(3)).Select(_ => Value(random, depth - 1))) + "]",
        };
    }

    private static byte[] RandomBytes(Random random, int maxLength)
    {
        var bytes = new byte[random.Next(maxLength)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] text, Random random)
    {
        var bytes = new List<byte>(text);
        var mutations = random.Next(1, 3);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 1 when random.Next(3) != 0:
                    // Truncation ends nearly every message in malformed JSON; keep it rarer than other edits.
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3:
                    bytes.RemoveRange(at, random.Next(Math.Min(8, bytes.Count - at) + 1));
                    break;
                case 4:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] MutateText(byte[] text, Random random)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n{-_";
        var bytes = new List<byte>(text);
        var mutations = random.Next(0, 3);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)alphabet[random.Next(alphabet.Length)];
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.Insert(at, (byte)alphabet[random.Next(alphabet.Length)]);
                    break;
                case 3:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return [.. bytes];
    }
}
