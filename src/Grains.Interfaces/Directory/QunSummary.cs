namespace AppMsg.Directory;

/// <summary>A qun in a user's list of quns.</summary>
/// <param name="Id">The qun id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Role">The user's role in it.</param>
[GenerateSerializer, Immutable]
public sealed record QunSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] QunRole Role);
