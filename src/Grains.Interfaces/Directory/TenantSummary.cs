namespace AppMsg.Directory;

/// <summary>A tenant as the tenant list shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record TenantSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] bool Disabled,
    [property: Id(3)] DateTimeOffset CreatedAt);
