namespace AppMsg.Directory;

/// <summary>An app in its tenant's list (never its secret or webhook).</summary>
[GenerateSerializer, Immutable]
public sealed record AppSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt);
