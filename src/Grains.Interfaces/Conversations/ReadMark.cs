namespace AppMsg.Conversations;

/// <summary>Where a user's read mark in a conversation stands after a mark, and what is still unread there.</summary>
[GenerateSerializer, Immutable]
public sealed record ReadMark(
    [property: Id(0)] string Conversation,
    [property: Id(1)] long Seq,
    [property: Id(2)] long Unread);
