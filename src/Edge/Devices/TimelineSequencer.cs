namespace AppMsg.Edge.Devices;

/// <summary>
/// Puts the deliveries this edge receives back in seq order per timeline before they reach connections.
/// Grains send them one-way and in order, but a client runs incoming calls concurrently, so message 8 can
/// overtake message 7; a connection that was sent 8 first would then take 7 for a duplicate. Each delivery
/// names the seq its sender sent this edge before it (<see cref="Sessions.Delivery.PreviousSeq"/>), and waits
/// until that one has gone out (at most <see cref="GapWait"/>: a delivery lost on the way is logged and
/// skipped, and terminals recover it by replay). Without that name, a delivery ahead of a gap in the seqs
/// waits the same way. Each timeline's deliveries run one after another, so connections see them in order too.
/// </summary>
public sealed partial class TimelineSequencer(TimeProvider clock, ILogger<TimelineSequencer> logger)
{
    public static readonly TimeSpan GapWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GapPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan IdleLine = TimeSpan.FromMinutes(2);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Line> lines = new(StringComparer.Ordinal);

    /// <summary>Timelines tracked now.</summary>
    public int Count => lines.Count;

    /// <summary>Runs <paramref name="deliver"/> for the timeline's message <paramref name="seq"/> in seq order.</summary>
    public void Offer(string timeline, long seq, long previousSeq, Func<Task> deliver)
    {
        var line = lines.GetOrAdd(timeline, _ => new Line());
        bool start;
        lock (line)
        {
            line.Pending[seq] = (previousSeq, deliver);
            line.TouchedAt = clock.GetUtcNow();
            start = !line.Draining;
            line.Draining = true;
        }

        if (start)
        {
            _ = Task.Run(() => DrainAsync(line));
        }
    }

    /// <summary>Forgets timelines idle for a while (called periodically).</summary>
    public void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (timeline, line) in lines)
        {
            lock (line)
            {
                if (!line.Draining && line.Pending.Count == 0 && now - line.TouchedAt > IdleLine)
                {
                    lines.TryRemove(new KeyValuePair<string, Line>(timeline, line));
                }
            }
        }
    }

    private async Task DrainAsync(Line line)
    {
        while (true)
        {
            Func<Task>? next = null;
            lock (line)
            {
                if (line.Pending.Count == 0)
                {
                    line.Draining = false;
                    return;
                }

                var (seq, (previous, deliver)) = line.Pending.First();
                var now = clock.GetUtcNow();
                var gapExpired = line.GapSince is { } since && now - since >= GapWait;
                var inOrder = previous >= 0 ? previous <= line.Last : line.Last == 0 || seq <= line.Last + 1;
                if (inOrder || gapExpired)
                {
                    if (gapExpired)
                    {
                        LogGapSkipped(logger, line.Last + 1, seq - 1);
                    }

                    line.Pending.Remove(seq);
                    line.Last = Math.Max(line.Last, seq);
                    line.GapSince = null;
                    next = deliver;
                }
                else
                {
                    line.GapSince ??= now;
                }
            }

            if (next is null)
            {
                await Task.Delay(GapPoll, clock);
                continue;
            }

            try
            {
                await next();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One delivery's failure (a connection that broke mid-write) must not stop the timeline.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deliveries {From} to {To} of a timeline did not arrive within the wait; going on without them (terminals get them by replay)")]
    private static partial void LogGapSkipped(ILogger logger, long from, long to);

    private sealed class Line
    {
        public SortedDictionary<long, (long Previous, Func<Task> Deliver)> Pending { get; } = [];

        public long Last { get; set; }

        public DateTimeOffset? GapSince { get; set; }

        public DateTimeOffset TouchedAt { get; set; }

        public bool Draining { get; set; }
    }
}
