using System.Collections.Concurrent;

namespace AppMsg.Edge.Devices;

/// <summary>This edge's registered device connections, by session id and by user.</summary>
public sealed class DeviceConnections
{
    private readonly ConcurrentDictionary<string, DeviceConnection> bySession = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<DeviceConnection, byte>> byUser = new(StringComparer.Ordinal);
    private int open;

    /// <summary>Connections open now, registered or not.</summary>
    public int OpenCount => Volatile.Read(ref open);

    /// <summary>Registered sessions.</summary>
    public int SessionCount => bySession.Count;

    public void Opened() => Interlocked.Increment(ref open);

    public void Closed() => Interlocked.Decrement(ref open);

    public void Add(string sessionId, string? userId, DeviceConnection connection)
    {
        bySession[sessionId] = connection;
        if (userId is not null)
        {
            byUser.GetOrAdd(userId, _ => new()).TryAdd(connection, 0);
        }
    }

    public void Remove(string sessionId, string? userId, DeviceConnection connection)
    {
        bySession.TryRemove(new KeyValuePair<string, DeviceConnection>(sessionId, connection));
        if (userId is not null && byUser.TryGetValue(userId, out var ofUser))
        {
            ofUser.TryRemove(connection, out _);
            if (ofUser.IsEmpty)
            {
                byUser.TryRemove(new KeyValuePair<string, ConcurrentDictionary<DeviceConnection, byte>>(userId, ofUser));
            }
        }
    }

    /// <summary>The user's connections on this edge (a snapshot).</summary>
    public ICollection<DeviceConnection> OfUser(string userId) =>
        byUser.TryGetValue(userId, out var ofUser) ? ofUser.Keys : [];

    public bool TryGet(string sessionId, out DeviceConnection connection) => bySession.TryGetValue(sessionId, out connection!);

    public ICollection<DeviceConnection> All => bySession.Values;
}
