using System.Collections.Concurrent;

namespace AppMsg.Edge.Conversations;

/// <summary>
/// Typing indicators are rate limited per session: at most one every <see cref="Interval"/> is sent on; others are
/// answered OK and dropped (a terminal repeats them while the user types). One entry per session that typed recently;
/// entries older than the interval are swept when the map passes <see cref="SweepAbove"/> entries.
/// </summary>
public sealed class TypingThrottle(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, long> lastSent = new(StringComparer.Ordinal);

    /// <summary>True when the session may send a typing indicator now (and records it).</summary>
    public bool TryPass(string sessionId)
    {
        var now = time.GetTimestamp();
        var interval = (long)(Interval.TotalSeconds * time.TimestampFrequency);
        if (lastSent.TryGetValue(sessionId, out var last) && now - last < interval)
        {
            return false;
        }

        lastSent[sessionId] = now;
        if (lastSent.Count > SweepAbove)
        {
            foreach (var (id, at) in lastSent)
            {
                if (now - at >= interval)
                {
                    lastSent.TryRemove(id, out _);
                }
            }
        }

        return true;
    }
}
