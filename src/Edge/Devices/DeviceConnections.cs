using System.Collections.Concurrent;

namespace AppMsg.Edge.Devices;

/// <summary>This edge's registered device connections, by session id and by user.</summary>
public sealed class DeviceConnections
{
    private readonly ConcurrentDictionary<string, DeviceConnection> bySession = new(StringComparer.Ordinal);

    // A user has one or a few connections on an edge: a small array, replaced on change, costs far less per
    // user than a concurrent set would.
    private readonly ConcurrentDictionary<string, DeviceConnection[]> byUser = new(StringComparer.Ordinal);
    private int open;
    private long closedForSlowness;

    /// <summary>Connections open now, registered or not.</summary>
    public int OpenCount => Volatile.Read(ref open);

    /// <summary>Registered sessions.</summary>
    public int SessionCount => bySession.Count;

    /// <summary>Connections closed because they did not read what they were sent (their queue overflowed or their write stalled).</summary>
    public long ClosedForSlownessCount => Interlocked.Read(ref closedForSlowness);

    public void ClosedForSlowness() => Interlocked.Increment(ref closedForSlowness);

    /// <summary>A connection opened on <paramref name="transport"/> (<c>tcp</c> or <c>websocket</c>, the metrics' tag).</summary>
    public void Opened(string transport)
    {
        Interlocked.Increment(ref open);
        Metrics.EdgeMetrics.ConnectionOpened(transport);
    }

    public void Closed(string transport)
    {
        Interlocked.Decrement(ref open);
        Metrics.EdgeMetrics.ConnectionClosed(transport);
    }

    public void Add(string sessionId, string? userId, DeviceConnection connection)
    {
        bySession[sessionId] = connection;
        if (userId is not null)
        {
            byUser.AddOrUpdate(userId, static (_, added) => [added],
                static (_, existing, added) => existing.Contains(added) ? existing : [.. existing, added], connection);
        }
    }

    public void Remove(string sessionId, string? userId, DeviceConnection connection)
    {
        bySession.TryRemove(new KeyValuePair<string, DeviceConnection>(sessionId, connection));
        if (userId is null)
        {
            return;
        }

        while (byUser.TryGetValue(userId, out var existing) && existing.Contains(connection))
        {
            var removed = existing.Length == 1
                ? byUser.TryRemove(new KeyValuePair<string, DeviceConnection[]>(userId, existing))
                : byUser.TryUpdate(userId, [.. existing.Where(c => c != connection)], existing);
            if (removed)
            {
                return;
            }
        }
    }

    /// <summary>The user's connections on this edge (a snapshot).</summary>
    public IReadOnlyList<DeviceConnection> OfUser(string userId) =>
        byUser.TryGetValue(userId, out var ofUser) ? ofUser : [];

    public bool TryGet(string sessionId, out DeviceConnection connection) => bySession.TryGetValue(sessionId, out connection!);

    /// <summary>Every registered connection, enumerated live (no snapshot: connections may come and go meanwhile).</summary>
    public IEnumerable<DeviceConnection> All
    {
        get
        {
            foreach (var (_, connection) in bySession)
            {
                yield return connection;
            }
        }
    }
}
