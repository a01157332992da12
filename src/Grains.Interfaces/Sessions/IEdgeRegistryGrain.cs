namespace AppMsg.Sessions;

/// <summary>
/// The live edges: each edge registers its observer and load every <see cref="EdgeLiveness.HeartbeatPeriod"/>. An edge
/// not heard from for <see cref="EdgeLiveness.PickableFor"/> is no longer handed to connecting devices, and one not heard
/// from for <see cref="EdgeLiveness.Lease"/> is dead, and its sessions with it. The set of edges is stored, so a
/// re-activated registry (its silo died) knows them at once. Call it with key 0.
/// </summary>
public interface IEdgeRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers or renews an edge with its observer and current load.</summary>
    Task HeartbeatAsync(EdgeInfo edge, IEdgeObserver observer);

    /// <summary>Removes an edge at once (graceful shutdown).</summary>
    Task UnregisterAsync(string edgeId);

    /// <summary>The observer of a live edge, or null when the edge is dead or unknown.</summary>
    Task<IEdgeObserver?> GetObserverAsync(string edgeId);

    /// <summary>The live edges, with the run of their process and their observers.</summary>
    Task<IReadOnlyList<LiveEdge>> GetLiveEdgesAsync();

    /// <summary>The least-loaded edge heard from recently, or null when none is alive.</summary>
    Task<EdgeInfo?> PickAsync();
}
