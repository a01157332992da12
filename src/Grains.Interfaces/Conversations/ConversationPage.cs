namespace AppMsg.Conversations;

/// <summary>A page of a user's conversations; <see cref="Next"/> continues after the last one (null at the end).</summary>
[GenerateSerializer, Immutable]
public sealed record ConversationPage(
    [property: Id(0)] IReadOnlyList<ConversationSummary> Conversations,
    [property: Id(1)] string? Next);
