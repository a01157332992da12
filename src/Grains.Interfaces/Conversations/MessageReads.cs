namespace AppMsg.Conversations;

/// <summary>How many members of the message's qun have read it, of how many members.</summary>
[GenerateSerializer, Immutable]
public sealed record MessageReads(
    [property: Id(0)] string MessageId,
    [property: Id(1)] long Read,
    [property: Id(2)] long Members);
