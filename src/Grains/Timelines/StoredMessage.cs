namespace AppMsg.Grains.Timelines;

/// <summary>A message as stored in its timeline.</summary>
public sealed record StoredMessage(
    string Timeline,
    long Seq,
    string MessageId,
    string Sender,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    byte[] Envelope,
    int TerminalTypes = 31,
    string? ClientMsgId = null);
