namespace AppMsg.Sessions;

/// <summary>An edge the registry holds live: its id, the run of its process, and its inbox.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveEdge(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string Incarnation,
    [property: Id(2)] IEdgeObserver Observer);
