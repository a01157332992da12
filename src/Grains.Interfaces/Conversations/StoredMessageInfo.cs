namespace AppMsg.Conversations;

/// <summary>Where a message is stored and who sent it when.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredMessageInfo(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Timeline,
    [property: Id(2)] long Seq,
    [property: Id(3)] string Sender,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] bool Recalled);
