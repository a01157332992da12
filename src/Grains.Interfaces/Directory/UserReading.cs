namespace AppMsg.Directory;

/// <summary>What a user's reading list is made from.</summary>
/// <param name="Memberships">The addresses of the groups the user belongs to, in order.</param>
/// <param name="Muted">The senders the user muted, in order.</param>
[GenerateSerializer, Immutable]
public sealed record UserReading([property: Id(0)] IReadOnlyList<string> Memberships, [property: Id(1)] IReadOnlyList<string> Muted);
