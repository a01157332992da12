namespace AppMsg.Messaging;

/// <summary>
/// A user's 1:1 message, stored again in the sender's own inbox so the sender's other terminals get it live and on replay.
/// It keeps the original's id, time and expiry; only its timeline and seq differ.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SenderCopy(
    [property: Id(0)] string MessageId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] NewMessage Message);
