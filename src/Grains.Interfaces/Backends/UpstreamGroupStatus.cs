namespace AppMsg.Backends;

/// <summary>One consumer group of an app's upstream: the shared backends, or one broadcast backend.</summary>
/// <param name="Group"><c>shared</c>, or <c>broadcast:&lt;name&gt;</c>.</param>
/// <param name="Acknowledged">Every message up to this seq is acknowledged (persisted).</param>
/// <param name="InFlight">Messages sent and not yet acknowledged.</param>
/// <param name="Subscribers">The names of the live subscribers.</param>
[GenerateSerializer, Immutable]
public sealed record UpstreamGroupStatus(
    [property: Id(0)] string Group,
    [property: Id(1)] long Acknowledged,
    [property: Id(2)] int InFlight,
    [property: Id(3)] IReadOnlyList<string> Subscribers);
