namespace AppMsg.Grains.Backends;

/// <summary>
/// One consumer group's window on a numbered, stored stream (an app's upstream timeline, or its tenant's session
/// events): what is read and waiting to be sent, and what is in flight. Everything at or below
/// <see cref="Acknowledged"/> is acknowledged; the cursor needs no set of acknowledged seqs, because the lowest item
/// still loaded bounds it.
/// </summary>
/// <typeparam name="T">What is delivered: an upstream message or a session event.</typeparam>
internal sealed class ConsumerGroup<T>(string key, long acknowledged)
{
    public string Key { get; } = key;

    /// <summary>The highest seq read from the stream into this window.</summary>
    public long ReadUpTo { get; set; } = acknowledged;

    /// <summary>The stream may hold items after <see cref="ReadUpTo"/>.</summary>
    public bool MaybeMore { get; set; } = true;

    public SortedDictionary<long, T> Ready { get; } = [];

    public SortedDictionary<long, InFlight<T>> InFlight { get; } = [];

    /// <summary>The subscribers that let an item time out; others are preferred until they acknowledge again.</summary>
    public HashSet<string> Stalled { get; } = new(StringComparer.Ordinal);

    public long Saved { get; set; } = acknowledged;

    /// <summary>Where the next round-robin turn among the group's subscribers starts.</summary>
    public int RoundRobin { get; set; }

    /// <summary>The seq up to which every item is acknowledged.</summary>
    public long Acknowledged
    {
        get
        {
            var lowest = long.MaxValue;
            if (Ready.Count > 0)
            {
                lowest = Ready.First().Key;
            }

            if (InFlight.Count > 0)
            {
                lowest = Math.Min(lowest, InFlight.First().Key);
            }

            return lowest == long.MaxValue ? ReadUpTo : lowest - 1;
        }
    }

    /// <summary>A newly stored item: taken straight into the window when it is the next one, else read later.</summary>
    public void OnStored(long seq, T item)
    {
        if (seq <= ReadUpTo)
        {
            return;
        }

        if (!MaybeMore && seq == ReadUpTo + 1)
        {
            Ready[seq] = item;
            ReadUpTo = seq;
        }
        else
        {
            MaybeMore = true;
        }
    }

    /// <summary>Takes a page read from the stream (in seq order) into the window.</summary>
    public void OnRead(IEnumerable<(long Seq, T Item)> page, bool maybeMore)
    {
        foreach (var (seq, item) in page)
        {
            if (seq > ReadUpTo)
            {
                Ready[seq] = item;
                ReadUpTo = seq;
            }
        }

        MaybeMore = maybeMore;
    }

    /// <summary>Acknowledges a seq; false when it was neither in flight nor waiting.</summary>
    public bool Acknowledge(long seq) => InFlight.Remove(seq) || Ready.Remove(seq);

    /// <summary>Puts what is in flight to <paramref name="subscriber"/> back to be sent (to anyone).</summary>
    public int Requeue(string subscriber) => RequeueWhere(f => f.Subscriber == subscriber);

    /// <summary>Puts what matches back to be sent.</summary>
    public int RequeueWhere(Func<InFlight<T>, bool> predicate)
    {
        var moved = InFlight.Where(p => predicate(p.Value)).Select(p => p.Key).ToList();
        foreach (var seq in moved)
        {
            Ready[seq] = InFlight[seq].Item;
            InFlight.Remove(seq);
        }

        return moved.Count;
    }

    public int InFlightTo(string subscriber) => InFlight.Values.Count(f => f.Subscriber == subscriber);
}
