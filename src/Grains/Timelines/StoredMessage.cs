namespace AppMsg.Grains.Timelines;

/// <summary>A message as stored in its timeline; <paramref name="MediaId"/> is the media it references (docs/media.md).</summary>
public sealed record StoredMessage(
    string Timeline,
    long Seq,
    string MessageId,
    string Sender,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    byte[] Envelope,
    int TerminalTypes = 31,
    string? ClientMsgId = null,
    string? MediaId = null);
