namespace AppMsg.Edge.Devices;

/// <summary>
/// Per connection: PUSHes awaiting PUSHRESP, and per timeline the cursor (the last seq every earlier
/// message of which was acknowledged). Acknowledgements above a gap wait until the gap is filled, so a
/// cursor never passes a message the terminal did not confirm.
/// </summary>
public sealed class DeliveryTracker(TimeProvider time)
{
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(5);

    private readonly Dictionary<uint, Outstanding> outstanding = [];
    private readonly Dictionary<string, TimelineCursor> cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> sentUpTo = new(StringComparer.Ordinal);

    /// <summary>Starts a timeline's cursor where the stored cursor says (at REGISTER or SYNC).</summary>
    public void Start(string timeline, long committed)
    {
        lock (cursors)
        {
            cursors[timeline] = new TimelineCursor { Committed = committed };
        }
    }

    /// <summary>The current cursor of a timeline, or null when it is not tracked.</summary>
    public long? CursorOf(string timeline)
    {
        lock (cursors)
        {
            return cursors.TryGetValue(timeline, out var cursor) ? cursor.Committed : null;
        }
    }

    /// <summary>
    /// Records a PUSH about to go out on <paramref name="tid"/>. With <paramref name="onlyIfNew"/> (a live delivery),
    /// returns false and records nothing when this connection was already sent that seq: a message stored while
    /// a replay read it arrives twice, once replayed and once live.
    /// </summary>
    public bool TrySend(uint tid, PushDelivery delivery, int attempt, bool onlyIfNew)
    {
        if (delivery.Timeline is not { } timeline)
        {
            return true;
        }

        lock (cursors)
        {
            var known = sentUpTo.TryGetValue(timeline, out var upTo);
            if (onlyIfNew && known && delivery.Seq <= upTo)
            {
                return false;
            }

            outstanding[tid] = new Outstanding(delivery, attempt, time.GetTimestamp());
            if (!known || delivery.Seq > upTo)
            {
                sentUpTo[timeline] = delivery.Seq;
            }

            if (!known && !cursors.ContainsKey(timeline))
            {
                // A timeline first seen live (joined after REGISTER): earlier messages are not this terminal's.
                cursors[timeline] = new TimelineCursor { Committed = delivery.Seq - 1 };
            }

            return true;
        }
    }

    /// <summary>A stored message this terminal is not meant to get (its type is outside the mask): the cursor passes it.</summary>
    public void Skipped(string timeline, long seq)
    {
        lock (cursors)
        {
            if (cursors.TryGetValue(timeline, out var cursor))
            {
                Advance(cursor, seq);
            }
        }
    }

    /// <summary>Records a PUSHRESP; true when a cursor moved.</summary>
    public bool Acknowledged(uint tid)
    {
        lock (cursors)
        {
            if (!outstanding.Remove(tid, out var sent))
            {
                return false;
            }

            Metrics.EdgeMetrics.Acknowledged((long)time.GetElapsedTime(sent.SentAt).TotalMilliseconds);
            if (!cursors.TryGetValue(sent.Delivery.Timeline!, out var cursor))
            {
                return false;
            }

            return Advance(cursor, sent.Delivery.Seq);
        }
    }

    private static bool Advance(TimelineCursor cursor, long seq)
    {
        if (seq <= cursor.Committed)
        {
            return false;
        }

        if (seq == cursor.Committed + 1 && cursor.Acked is null or { Count: 0 })
        {
            // In order, nothing above a gap: the usual case, with no set to touch.
            cursor.Committed = seq;
            cursor.Dirty = true;
            return true;
        }

        var acked = cursor.Acked ??= [];
        acked.Add(seq);
        var moved = false;
        while (acked.Remove(cursor.Committed + 1))
        {
            cursor.Committed++;
            moved = true;
        }

        acked.RemoveWhere(a => a <= cursor.Committed);
        cursor.Dirty |= moved;
        return moved;
    }

    /// <summary>PUSHes unacknowledged for <see cref="ResendAfter"/>: sent once more, then left to replay.</summary>
    public List<PushDelivery>? TakeOverdue()
    {
        var now = time.GetTimestamp();
        List<PushDelivery>? resend = null;
        lock (cursors)
        {
            foreach (var (tid, sent) in outstanding)
            {
                if (time.GetElapsedTime(sent.SentAt, now) < ResendAfter)
                {
                    continue;
                }

                outstanding.Remove(tid);
                if (sent.Attempt == 1)
                {
                    (resend ??= []).Add(sent.Delivery);
                }
            }
        }

        return resend;
    }

    /// <summary>Cursors that moved since the last call.</summary>
    public Dictionary<string, long>? TakeDirtyCursors()
    {
        Dictionary<string, long>? dirty = null;
        lock (cursors)
        {
            foreach (var (timeline, cursor) in cursors)
            {
                if (cursor.Dirty)
                {
                    cursor.Dirty = false;
                    (dirty ??= new(StringComparer.Ordinal))[timeline] = cursor.Committed;
                }
            }
        }

        return dirty;
    }

    private readonly record struct Outstanding(PushDelivery Delivery, int Attempt, long SentAt);

    private sealed class TimelineCursor
    {
        public long Committed { get; set; }

        /// <summary>Acknowledged seqs above a gap; made only when a terminal acknowledges out of order.</summary>
        public HashSet<long>? Acked { get; set; }

        public bool Dirty { get; set; }
    }
}
