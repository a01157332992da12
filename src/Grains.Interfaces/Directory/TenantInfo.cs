namespace AppMsg.Directory;

/// <summary>A tenant as callers see it.</summary>
[GenerateSerializer, Immutable]
public sealed record TenantInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] TenantSettings Settings,
    [property: Id(3)] DateTimeOffset CreatedAt);
