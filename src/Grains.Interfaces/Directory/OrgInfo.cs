namespace AppMsg.Directory;

/// <summary>An org (a node of a tenant's organisation tree) as callers see it.</summary>
/// <param name="Id">The org id; its timeline address is <c>id@org</c>.</param>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="ParentId">Its parent org, or null for a root org.</param>
/// <param name="Name">Its name.</param>
/// <param name="SortOrder">Orders siblings, lowest first.</param>
/// <param name="CreatedAt">When it was created.</param>
[GenerateSerializer, Immutable]
public sealed record OrgInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string? ParentId,
    [property: Id(3)] string Name,
    [property: Id(4)] int SortOrder,
    [property: Id(5)] DateTimeOffset CreatedAt);
