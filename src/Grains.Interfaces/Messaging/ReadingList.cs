namespace AppMsg.Messaging;

/// <summary>What a terminal receives: filled at REGISTER.</summary>
/// <param name="Audiences">The keys to index the connection by for live group messages (<see cref="Messaging.Audiences"/>).</param>
/// <param name="Timelines">The timelines to replay, inbox first: the inbox, quns, orgs with their ancestors, the tenant, and the tenant's apps' broadcasts.</param>
/// <param name="Muted">The senders the user muted (<c>id@user</c>, <c>id@app</c>).</param>
[GenerateSerializer, Immutable]
public sealed record ReadingList(
    [property: Id(0)] IReadOnlyList<string> Audiences,
    [property: Id(1)] IReadOnlyList<string> Timelines,
    [property: Id(2)] IReadOnlyList<string> Muted);
