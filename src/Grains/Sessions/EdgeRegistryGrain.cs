using AppMsg.Sessions;
using Orleans.Concurrency;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// Live edges in memory: edges heartbeat every few seconds, so after a reactivation the registry is
/// whole again within one heartbeat period.
/// </summary>
[Reentrant]
public sealed class EdgeRegistryGrain(TimeProvider clock) : Grain, IEdgeRegistryGrain
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, Entry> edges = new(StringComparer.Ordinal);

    public Task HeartbeatAsync(EdgeInfo edge, IEdgeObserver observer)
    {
        edges[edge.EdgeId] = new Entry(edge, observer, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string edgeId)
    {
        edges.Remove(edgeId);
        return Task.CompletedTask;
    }

    public Task<IEdgeObserver?> GetObserverAsync(string edgeId) =>
        Task.FromResult(edges.TryGetValue(edgeId, out var entry) && IsLive(entry) ? entry.Observer : null);

    public Task<IReadOnlyList<IEdgeObserver>> GetLiveObserversAsync()
    {
        Expire();
        return Task.FromResult<IReadOnlyList<IEdgeObserver>>([.. edges.Values.Select(e => e.Observer)]);
    }

    public Task<IReadOnlyDictionary<string, IEdgeObserver>> GetLiveEdgesAsync()
    {
        Expire();
        return Task.FromResult<IReadOnlyDictionary<string, IEdgeObserver>>(edges.ToDictionary(e => e.Key, e => e.Value.Observer, StringComparer.Ordinal));
    }

    public Task<IReadOnlyList<string>> GetLiveEdgeIdsAsync()
    {
        Expire();
        return Task.FromResult<IReadOnlyList<string>>([.. edges.Keys]);
    }

    public Task<EdgeInfo?> PickAsync()
    {
        Expire();
        EdgeInfo? best = null;
        foreach (var entry in edges.Values)
        {
            if (best is null || entry.Edge.Connections < best.Connections)
            {
                best = entry.Edge;
            }
        }

        return Task.FromResult(best);
    }

    private bool IsLive(Entry entry) => clock.GetUtcNow() - entry.LastSeen < Lease;

    private void Expire()
    {
        foreach (var (id, entry) in edges)
        {
            if (!IsLive(entry))
            {
                edges.Remove(id);
            }
        }
    }

    private sealed record Entry(EdgeInfo Edge, IEdgeObserver Observer, DateTimeOffset LastSeen);
}
