namespace AppMsg.Directory;

/// <summary>A user as callers see it (never the password).</summary>
[GenerateSerializer, Immutable]
public sealed record UserInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Username,
    [property: Id(3)] string DisplayName,
    [property: Id(4)] string? AvatarUrl,
    [property: Id(5)] UserStatus Status,
    [property: Id(6)] DateTimeOffset CreatedAt);
