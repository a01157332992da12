using System.Collections.Concurrent;

namespace AppMsg.Edge.Devices;

/// <summary>
/// This edge's index from group timeline (<c>id@qun</c>, <c>id@org</c>) to the connections that receive
/// it live: filled at REGISTER from the user's memberships and kept current by membership events.
/// </summary>
public sealed class TimelineIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<DeviceConnection, byte>> byTimeline = new(StringComparer.Ordinal);

    public void Subscribe(string timeline, DeviceConnection connection) =>
        byTimeline.GetOrAdd(timeline, _ => new()).TryAdd(connection, 0);

    public void Unsubscribe(string timeline, DeviceConnection connection)
    {
        if (byTimeline.TryGetValue(timeline, out var connections))
        {
            connections.TryRemove(connection, out _);
            if (connections.IsEmpty)
            {
                byTimeline.TryRemove(new KeyValuePair<string, ConcurrentDictionary<DeviceConnection, byte>>(timeline, connections));
            }
        }
    }

    /// <summary>The connections subscribed to a timeline, enumerated live (no copy per message).</summary>
    public IEnumerable<DeviceConnection> Subscribers(string timeline)
    {
        if (!byTimeline.TryGetValue(timeline, out var connections))
        {
            yield break;
        }

        foreach (var (connection, _) in connections)
        {
            yield return connection;
        }
    }
}
