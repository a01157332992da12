namespace AppMsg.Directory;

/// <summary>A contact in a user's address book: another user of the same tenant, with the owner's remark.</summary>
/// <param name="ContactId">The contact's user id.</param>
/// <param name="Username">The contact's username.</param>
/// <param name="DisplayName">The contact's display name, as the contact set it.</param>
/// <param name="Remark">The owner's note about the contact (0 to 100 characters; empty for none).</param>
/// <param name="Starred">Whether the owner starred the contact.</param>
/// <param name="CreatedAt">When the contact was added.</param>
/// <param name="UpdatedAt">When remark or star last changed.</param>
[GenerateSerializer, Immutable]
public sealed record ContactInfo(
    [property: Id(0)] string ContactId,
    [property: Id(1)] string Username,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string Remark,
    [property: Id(4)] bool Starred,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);
