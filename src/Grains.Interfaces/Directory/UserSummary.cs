namespace AppMsg.Directory;

/// <summary>A user in a list.</summary>
[GenerateSerializer, Immutable]
public sealed record UserSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Username,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] UserStatus Status);
