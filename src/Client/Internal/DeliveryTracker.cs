namespace AppMsg.Client.Internal;

/// <summary>
/// The client's memory of what it received, by (timeline, seq), across its connections: it tells duplicates from new
/// messages and notices gaps (a seq beyond the last contiguous + 1 on a timeline seen before). Thread-safe.
/// </summary>
internal sealed class DeliveryTracker(bool dropDuplicates, int capacityPerTimeline, Action onGap)
{
    /// <summary>The most cursors one SYNC may carry (docs/protocol.md).</summary>
    public const int MaxCursors = 1024;

    private readonly Dictionary<string, TimelineWindow> windows = new(StringComparer.Ordinal);
    private readonly Lock @lock = new();

    /// <summary>Records the message; false when it is a duplicate to drop (it must still be acknowledged).</summary>
    public bool Admit(ReadOnlySpan<byte> envelope)
    {
        Span<char> buffer = stackalloc char[EnvelopePosition.MaxStackTimeline];
        if (!EnvelopePosition.TryRead(envelope, buffer, out var timeline, out var longTimeline, out var seq))
        {
            return true;
        }

        bool isNew, gap;
        lock (@lock)
        {
            var lookup = windows.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(timeline, out var window))
            {
                windows[longTimeline ?? timeline.ToString()] = new TimelineWindow(seq, capacityPerTimeline);
                return true;
            }

            isNew = window.Admit(seq, out gap);
        }

        if (gap)
        {
            onGap();
        }

        return isNew || !dropDuplicates;
    }

    /// <summary>Records a seq the client knows of without receiving it (its own IM, from IMRESP), on a timeline it has seen.</summary>
    public void Record(string timeline, long seq)
    {
        lock (@lock)
        {
            if (windows.TryGetValue(timeline, out var window))
            {
                window.Admit(seq, out _);
            }
        }
    }

    /// <summary>The cursors to SYNC with, or null when no timeline has a gap.</summary>
    public TimelineGaps? Gaps()
    {
        lock (@lock)
        {
            var tops = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (timeline, window) in windows)
            {
                if (window.HasGap)
                {
                    tops[timeline] = window.Highest;
                }
            }

            if (tops.Count == 0)
            {
                return null;
            }

            var cursors = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var timeline in tops.Keys.Concat(windows.Keys.Where(t => !tops.ContainsKey(t))).Take(MaxCursors))
            {
                cursors[timeline] = windows[timeline].Contiguous;
            }

            return new TimelineGaps(cursors, tops);
        }
    }

    /// <summary>After a complete SYNC: what is still missing below each timeline's top will not come (expired, or not for this terminal).</summary>
    public void Settle(TimelineGaps gaps)
    {
        lock (@lock)
        {
            foreach (var (timeline, top) in gaps.Tops)
            {
                if (gaps.Cursors.ContainsKey(timeline) && windows.TryGetValue(timeline, out var window))
                {
                    window.SkipTo(top);
                }
            }
        }
    }
}
