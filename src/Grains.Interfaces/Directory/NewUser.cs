namespace AppMsg.Directory;

/// <summary>What is needed to create a user.</summary>
/// <param name="TenantId">The tenant the user belongs to.</param>
/// <param name="Username">Unique in the tenant (case-insensitive); 1 to 64 characters, no white space.</param>
/// <param name="Password">8 to 128 characters; stored only as a slow salted hash.</param>
/// <param name="DisplayName">Shown to other users; defaults to the username.</param>
/// <param name="AvatarUrl">An absolute http(s) URL, or null.</param>
[GenerateSerializer, Immutable]
public sealed record NewUser(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Username,
    [property: Id(2)] string Password,
    [property: Id(3)] string? DisplayName = null,
    [property: Id(4)] string? AvatarUrl = null);
