using System.Buffers;
using AppMsg.Protocol;

namespace AppMsg.Fuzz;

/// <summary>
/// Starting inputs for each target, made by the protocol's own writers (so they follow the protocol as it changes):
/// afl-fuzz mutates these, and the regression test replays them too.
/// </summary>
public static class FuzzSeedCorpus
{
    private static readonly byte[] Envelope =
        """{"id":"m1","timeline":"42@user","seq":7,"type":"text","content":{"text":"hi"},"ts":1,"expiresAt":null}"""u8.ToArray();

    private static readonly RegisterRequest SampleRegister = new(1, TerminalType.Android, "06h516g60nexcb1r", "k3Jq9vX2mPz7Lr4tWc8Nb5Yd1Hf6Gs0A");

    /// <summary>The seeds of <paramref name="target"/>, by file name.</summary>
    public static IReadOnlyList<(string Name, byte[] Input)> Of(string target) => target switch
    {
        "binary-frames" => BinaryFrames(),
        "json-frames" => [.. JsonMessages().Select((m, i) => ($"message-{i}", m))],
        "galopush-web" => [.. JsonMessages().Select((m, i) => ($"wrapped-{i}", System.Text.Encoding.ASCII.GetBytes(GalopushWebFraming.Wrap(m))))],
        "register" => Registers(),
        _ => throw new ArgumentException($"no target {target}", nameof(target)),
    };

    /// <summary>Writes every target's seeds under <paramref name="directory"/>/&lt;target&gt;/.</summary>
    public static void WriteAll(string directory)
    {
        foreach (var target in FuzzTargets.Names)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, target));
            foreach (var (name, input) in Of(target))
            {
                File.WriteAllBytes(Path.Combine(folder.FullName, name), input);
            }
        }
    }

    private static List<(string, byte[])> BinaryFrames()
    {
        var seeds = new List<(string, byte[])>();
        foreach (var encoding in new[] { BodyEncoding.None, BodyEncoding.Not, BodyEncoding.RingXor })
        {
            var stream = Write(o =>
            {
                FrameWriter.WriteRegister(o, encoding, 1, SampleRegister);
                FrameWriter.WritePing(o, encoding, 2);
                FrameWriter.WriteImUp(o, encoding, 3, """{"to":"1@qun","type":"text","content":{"text":"x"}}"""u8);
                FrameWriter.WriteSync(o, encoding, 4, """{"cursors":{"42@user":3}}"""u8);
                FrameWriter.WritePush(o, encoding, 5, 0, 1, Envelope);
            });
            // The first byte of a binary-frames input chooses the segment length (see FuzzTargets.BinaryFrames).
            seeds.Add(($"stream-{encoding}", [3, .. stream]));
        }

        return seeds;
    }

    private static List<byte[]> JsonMessages() =>
    [
        Write(o => JsonFrameCodec.WriteRegister(o, 1, SampleRegister)),
        Write(o => JsonFrameCodec.WritePing(o, 3)),
        Write(o => JsonFrameCodec.WritePush(o, 5, 0, 1, Envelope)),
        Write(o => JsonFrameCodec.WriteCallbackResponse(o, 8, 0, "\"yes\""u8)),
        Write(o => JsonFrameCodec.WriteImUp(o, 9, """{"to":"1@qun","type":"text","content":{"text":"x"},"clientMsgId":"c"}"""u8)),
        Write(o => JsonFrameCodec.WriteSync(o, 13, """{"cursors":{"42@user":3,"1@qun":9}}"""u8)),
    ];

    private static List<(string, byte[])> Registers()
    {
        var binary = new byte[ProtocolLimits.RegisterBodyLength];
        RegisterBody.Write(SampleRegister, binary);
        var json = """{"version":1,"termType":1,"id":"06h516g60nexcb1r","token":"k3Jq9vX2mPz7Lr4tWc8Nb5Yd1Hf6Gs0A"}"""u8.ToArray();
        return [("binary", binary), ("json", json)];
    }

    private static byte[] Write(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }
}
