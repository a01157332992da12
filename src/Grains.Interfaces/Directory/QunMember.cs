namespace AppMsg.Directory;

/// <summary>A member of a qun and its role.</summary>
/// <param name="UserId">The member's user id.</param>
/// <param name="Role">Its role in the qun.</param>
[GenerateSerializer, Immutable]
public sealed record QunMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] QunRole Role);
