namespace AppMsg.Grains.Directory;

/// <summary>One contact as the owner's grain stores it; the contact's names are the contact's own and are not copied.</summary>
[GenerateSerializer, Immutable]
public sealed record ContactRecord(
    [property: Id(0)] string Remark,
    [property: Id(1)] bool Starred,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt);
