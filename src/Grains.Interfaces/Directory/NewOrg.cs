namespace AppMsg.Directory;

/// <summary>What is needed to create an org.</summary>
/// <param name="TenantId">The tenant whose tree the org joins.</param>
/// <param name="Name">1 to 100 characters (trimmed).</param>
/// <param name="ParentId">An org of the same tenant, or null for a root org.</param>
/// <param name="SortOrder">Orders siblings, lowest first.</param>
[GenerateSerializer, Immutable]
public sealed record NewOrg(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? ParentId = null,
    [property: Id(3)] int SortOrder = 0);
