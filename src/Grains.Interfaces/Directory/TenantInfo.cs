namespace AppMsg.Directory;

/// <summary>A tenant as callers see it; <see cref="Disabled"/>: its users, apps and devices are refused (docs/console.md, "Disabling a tenant").</summary>
[GenerateSerializer, Immutable]
public sealed record TenantInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] TenantSettings Settings,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] bool Disabled = false);
