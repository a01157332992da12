namespace AppMsg.Directory;

/// <summary>A change of profile; null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record UserProfileUpdate(
    [property: Id(0)] string? DisplayName = null,
    [property: Id(1)] string? AvatarUrl = null);
