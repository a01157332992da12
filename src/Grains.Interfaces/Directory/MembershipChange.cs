namespace AppMsg.Directory;

/// <summary>A user joined or left a group timeline (a qun or an org).</summary>
/// <param name="UserId">The user.</param>
/// <param name="GroupAddress">The group's address, <c>id@qun</c> or <c>id@org</c>.</param>
/// <param name="Joined">True for a join, false for a leave.</param>
[GenerateSerializer, Immutable]
public sealed record MembershipChange(
    [property: Id(0)] string UserId,
    [property: Id(1)] string GroupAddress,
    [property: Id(2)] bool Joined);
