namespace AppMsg.Directory;

/// <summary>What is needed to create a qun.</summary>
/// <param name="TenantId">The tenant the qun belongs to; owner and members must be its users.</param>
/// <param name="Name">1 to 100 characters (trimmed).</param>
/// <param name="OwnerId">The user who owns the qun; a member with role <see cref="QunRole.Owner"/>.</param>
/// <param name="MemberIds">Further members (role <see cref="QunRole.Member"/>); duplicates and the owner are ignored.</param>
/// <param name="MaxMembers">The member limit, owner included: 1 to 100,000; null for the default (2,000).</param>
/// <param name="Topic">The topic or notice, 0 to 1,000 characters; null for none.</param>
[GenerateSerializer, Immutable]
public sealed record NewQun(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Name,
    [property: Id(2)] string OwnerId,
    [property: Id(3)] IReadOnlyList<string>? MemberIds = null,
    [property: Id(4)] int? MaxMembers = null,
    [property: Id(5)] string? Topic = null);
