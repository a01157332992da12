using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>
/// One PUSH on its way to many connections of this edge: the binary frame is encoded once per body
/// encoding in use and shared; each connection only patches in its own TID.
/// </summary>
public sealed class PushDelivery(
    ReadOnlyMemory<byte> envelope, string? timeline = null, long seq = 0, ushort offline = 0, bool asIm = false, string? from = null, long expiresAtMs = 0,
    long storedAtMs = 0)
{
    private readonly EncodedFrame?[] frames = new EncodedFrame?[4];

    public ReadOnlyMemory<byte> Envelope { get; } = envelope;

    /// <summary>The timeline the message is stored in; null for an unstored session push (no acknowledgement tracked).</summary>
    public string? Timeline { get; } = timeline;

    public long Seq { get; } = seq;

    /// <summary>Sent as IM down (a user's message) instead of PUSH.</summary>
    public bool AsIm { get; } = asIm;

    public ushort Offline { get; } = offline;

    /// <summary>The sender's address, when known (for muting).</summary>
    public string? Sender { get; } = from;

    /// <summary>When the message expires (unix ms), 0 for never.</summary>
    public long ExpiresAtMs { get; } = expiresAtMs;

    /// <summary>When the message was stored (unix ms), 0 when unknown (replayed, or a bare session push).</summary>
    public long StoredAtMs { get; } = storedAtMs;

    public static PushDelivery From(Sessions.Delivery message) =>
        new(message.Envelope, message.Timeline, message.Seq, asIm: message.AsIm, from: message.From, expiresAtMs: message.ExpiresAtMs, storedAtMs: message.StoredAtMs);

    private long expiryCheckedAt = long.MinValue;
    private bool expired;

    /// <summary>
    /// True once the message is past its expiry (to within a second): it is then not sent, not even resent.
    /// The clock is read at most once a second per message, not once per connection it goes to.
    /// </summary>
    public bool IsExpired()
    {
        if (ExpiresAtMs == 0 || expired)
        {
            return expired;
        }

        var now = Environment.TickCount64;
        if (now - expiryCheckedAt < 1000)
        {
            return false;
        }

        expiryCheckedAt = now;
        expired = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= ExpiresAtMs;
        return expired;
    }

    public EncodedFrame FrameFor(BodyEncoding encoding, byte flag)
    {
        // The flag (a web session is also online) is per user, so only flag 0 frames are shared.
        if (flag != 0)
        {
            return Encode(encoding, flag);
        }

        var index = (int)encoding;
        return frames[index] ??= Encode(encoding, 0);
    }

    private EncodedFrame Encode(BodyEncoding encoding, byte flag) =>
        AsIm ? EncodedFrame.ImDown(encoding, flag, Envelope.Span) : EncodedFrame.Push(encoding, Offline, flag, Envelope.Span);
}
