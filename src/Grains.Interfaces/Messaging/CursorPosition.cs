namespace AppMsg.Messaging;

/// <summary>
/// A read cursor and its last move: every message of the timeline up to <paramref name="Seq"/> is acknowledged, those
/// after <paramref name="AckedFrom"/> at <paramref name="AckedAt"/> (when the cursor grain learned of it, about a second
/// after the device's acknowledgement); null for a cursor stored before acknowledgement times were kept.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct CursorPosition(
    [property: Id(0)] long Seq,
    [property: Id(1)] long AckedFrom,
    [property: Id(2)] DateTimeOffset? AckedAt)
{
    /// <summary>When the message at <paramref name="seq"/> was acknowledged, when still known (it came with the last move).</summary>
    public DateTimeOffset? AcknowledgedAt(long seq) => seq <= Seq && seq > AckedFrom ? AckedAt : null;
}
