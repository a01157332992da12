using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>
/// One PUSH on its way to many connections of this edge: the binary frame is encoded once per body
/// encoding in use and shared; each connection only patches in its own TID.
/// </summary>
public sealed class PushDelivery(ReadOnlyMemory<byte> envelope, ushort offline = 0)
{
    private readonly EncodedFrame?[] frames = new EncodedFrame?[4];

    public ReadOnlyMemory<byte> Envelope { get; } = envelope;

    public ushort Offline { get; } = offline;

    public EncodedFrame FrameFor(BodyEncoding encoding, byte flag)
    {
        // The flag (a web session is also online) is per user, so only flag 0 frames are shared.
        if (flag != 0)
        {
            return EncodedFrame.Push(encoding, Offline, flag, Envelope.Span);
        }

        var index = (int)encoding;
        return frames[index] ??= EncodedFrame.Push(encoding, Offline, 0, Envelope.Span);
    }
}
