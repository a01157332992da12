using System.Collections.Concurrent;

namespace AppMsg.Edge.Devices;

/// <summary>This edge's registered device connections, by session id.</summary>
public sealed class DeviceConnections
{
    private readonly ConcurrentDictionary<string, DeviceConnection> bySession = new(StringComparer.Ordinal);
    private int open;

    /// <summary>Connections open now, registered or not.</summary>
    public int OpenCount => Volatile.Read(ref open);

    /// <summary>Registered sessions.</summary>
    public int SessionCount => bySession.Count;

    public void Opened() => Interlocked.Increment(ref open);

    public void Closed() => Interlocked.Decrement(ref open);

    public void Add(string sessionId, DeviceConnection connection) => bySession[sessionId] = connection;

    public void Remove(string sessionId, DeviceConnection connection) =>
        bySession.TryRemove(new KeyValuePair<string, DeviceConnection>(sessionId, connection));

    public bool TryGet(string sessionId, out DeviceConnection connection) => bySession.TryGetValue(sessionId, out connection!);

    public ICollection<DeviceConnection> All => bySession.Values;
}
