namespace AppMsg.Sessions;

/// <summary>
/// The live edges: each edge registers its observer and load every few seconds; an edge not heard
/// from for the edge lease (20 s) is dead, and its sessions with it. Call it with key 0.
/// </summary>
public interface IEdgeRegistryGrain : IGrainWithIntegerKey
{

    /// <summary>Registers or renews an edge with its observer and current load.</summary>
    Task HeartbeatAsync(EdgeInfo edge, IEdgeObserver observer);

    /// <summary>Removes an edge at once (graceful shutdown).</summary>
    Task UnregisterAsync(string edgeId);

    /// <summary>The observer of a live edge, or null when the edge is dead or unknown.</summary>
    Task<IEdgeObserver?> GetObserverAsync(string edgeId);

    /// <summary>The observers of every live edge (for group messages).</summary>
    Task<IReadOnlyList<IEdgeObserver>> GetLiveObserversAsync();

    /// <summary>The live edges by id, with their observers.</summary>
    Task<IReadOnlyDictionary<string, IEdgeObserver>> GetLiveEdgesAsync();

    /// <summary>The ids of the live edges.</summary>
    Task<IReadOnlyList<string>> GetLiveEdgeIdsAsync();

    /// <summary>The least-loaded live edge, or null when none is alive.</summary>
    Task<EdgeInfo?> PickAsync();
}
