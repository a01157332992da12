namespace AppMsg.Directory;

/// <summary>Who a valid token belongs to.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenPrincipal(
    [property: Id(0)] string UserId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] DateTimeOffset ExpiresAt);
