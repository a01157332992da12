namespace AppMsg.Directory;

/// <summary>A qun as callers see it.</summary>
/// <param name="Id">The qun id; its timeline address is <c>id@qun</c>.</param>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="Name">Its name.</param>
/// <param name="Topic">Its topic or notice, empty for none.</param>
/// <param name="OwnerId">The owner's user id.</param>
/// <param name="MaxMembers">The member limit, owner included.</param>
/// <param name="MemberCount">The number of members, owner included.</param>
/// <param name="CreatedAt">When it was created.</param>
[GenerateSerializer, Immutable]
public sealed record QunInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Topic,
    [property: Id(4)] string OwnerId,
    [property: Id(5)] int MaxMembers,
    [property: Id(6)] int MemberCount,
    [property: Id(7)] DateTimeOffset CreatedAt);
