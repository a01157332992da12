using AppMsg.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// Live edges in memory, renewed by the edges' heartbeats; the set itself (not each heartbeat) is stored whenever an
/// edge joins, restarts, leaves or expires. A registry activated afresh (its silo died) starts from the stored set,
/// each edge counted live for one lease from then, so grains keep reaching edges while the heartbeats come back.
/// Writes never hold up heartbeats or reads: one write runs at a time, the last change wins.
/// </summary>
[Reentrant]
public sealed partial class EdgeRegistryGrain(
    [PersistentState("edgeRegistry", StorageNames.Default)] IPersistentState<EdgeRegistryState> state,
    TimeProvider clock,
    ILogger<EdgeRegistryGrain> logger) : Grain, IEdgeRegistryGrain
{
    private readonly Dictionary<string, Entry> edges = new(StringComparer.Ordinal);
    private Task persisting = Task.CompletedTask;
    private bool dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var (edgeId, stored) in state.State.Edges)
        {
            try
            {
                var observer = GrainFactory.GetGrain<IEdgeObserver>(GrainId.Parse(stored.ObserverId));
                var info = new EdgeInfo(edgeId, stored.TcpAddress, stored.WebSocketUrl, 0, stored.Incarnation, stored.TcpTlsAddress, stored.SecureWebSocketUrl);
                edges[edgeId] = new Entry(info, observer, now, HeardAt: null);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                LogStoredEdgeUnreadable(logger, edgeId, e.Message);
            }
        }

        return Task.CompletedTask;
    }

    public Task HeartbeatAsync(EdgeInfo edge, IEdgeObserver observer)
    {
        var now = clock.GetUtcNow();
        var changed = !edges.TryGetValue(edge.EdgeId, out var known) || known.Edge.Incarnation != edge.Incarnation
            || !known.Observer.GetGrainId().Equals(observer.GetGrainId());
        edges[edge.EdgeId] = new Entry(edge, observer, now, now);
        if (changed)
        {
            Persist();
        }

        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string edgeId)
    {
        if (edges.Remove(edgeId))
        {
            Persist();
        }

        return Task.CompletedTask;
    }

    public Task<IEdgeObserver?> GetObserverAsync(string edgeId) =>
        Task.FromResult(edges.TryGetValue(edgeId, out var entry) && IsLive(entry) ? entry.Observer : null);

    public Task<IReadOnlyList<LiveEdge>> GetLiveEdgesAsync()
    {
        Expire();
        return Task.FromResult<IReadOnlyList<LiveEdge>>([.. edges.Values.Select(e => new LiveEdge(e.Edge.EdgeId, e.Edge.Incarnation, e.Observer))]);
    }

    public Task<EdgeInfo?> PickAsync()
    {
        Expire();
        var now = clock.GetUtcNow();
        EdgeInfo? best = null;
        var bestHeard = false;
        foreach (var entry in edges.Values)
        {
            // An edge that stopped heartbeating (killed) is not handed out long before its sessions' lease runs out.
            var heard = entry.HeardAt is { } at && now - at < EdgeLiveness.PickableFor;
            if (best is null || (heard && !bestHeard) || (heard == bestHeard && entry.Edge.Connections < best.Connections))
            {
                best = entry.Edge;
                bestHeard = heard;
            }
        }

        return Task.FromResult(best);
    }

    private bool IsLive(Entry entry) => clock.GetUtcNow() - entry.LastSeen < EdgeLiveness.Lease;

    private void Expire()
    {
        foreach (var (id, entry) in edges)
        {
            if (!IsLive(entry))
            {
                edges.Remove(id);
                Persist();
            }
        }
    }

    private void Persist()
    {
        dirty = true;
        if (persisting.IsCompleted)
        {
            persisting = PersistAsync();
        }
    }

    private async Task PersistAsync()
    {
        while (dirty)
        {
            dirty = false;
            state.State.Edges = edges.ToDictionary(
                e => e.Key,
                e => new EdgeRegistryState.StoredEdge
                {
                    TcpAddress = e.Value.Edge.TcpAddress,
                    WebSocketUrl = e.Value.Edge.WebSocketUrl,
                    TcpTlsAddress = e.Value.Edge.TcpTlsAddress,
                    SecureWebSocketUrl = e.Value.Edge.SecureWebSocketUrl,
                    Incarnation = e.Value.Edge.Incarnation,
                    ObserverId = e.Value.Observer.GetGrainId().ToString(),
                },
                StringComparer.Ordinal);
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Not fatal: the registry works from memory; the stored set only shortens a re-activation's blind spell.
                LogPersistFailed(logger, e.Message);
                dirty = true;
                await Task.Delay(TimeSpan.FromSeconds(1), clock);
            }
        }
    }

    private sealed record Entry(EdgeInfo Edge, IEdgeObserver Observer, DateTimeOffset LastSeen, DateTimeOffset? HeardAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored edge {EdgeId} could not be read back: {Reason}")]
    private static partial void LogStoredEdgeUnreadable(ILogger logger, string edgeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The edge registry could not store its edges: {Reason}")]
    private static partial void LogPersistFailed(ILogger logger, string reason);
}
