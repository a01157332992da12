namespace AppMsg.Directory;

/// <summary>What to set on a contact; null fields stay as they are (a new contact starts with no remark, not starred).</summary>
/// <param name="Remark">0 to 100 characters, trimmed; empty clears the remark.</param>
/// <param name="Starred">Star or unstar the contact.</param>
[GenerateSerializer, Immutable]
public sealed record ContactUpdate(
    [property: Id(0)] string? Remark = null,
    [property: Id(1)] bool? Starred = null);
