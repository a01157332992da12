using AppMsg.Backends;

namespace AppMsg.Grains.Backends;

/// <summary>
/// One consumer group's window on the upstream timeline: what is read and waiting to be sent, and what is
/// in flight. Everything at or below <see cref="Acknowledged"/> is acknowledged; the cursor needs no set of
/// acknowledged seqs, because the lowest message still loaded bounds it.
/// </summary>
internal sealed class UpstreamGroup(string key, long acknowledged)
{
    public string Key { get; } = key;

    /// <summary>The highest seq read from the timeline into this window.</summary>
    public long ReadUpTo { get; set; } = acknowledged;

    /// <summary>The timeline may hold messages after <see cref="ReadUpTo"/>.</summary>
    public bool MaybeMore { get; set; } = true;

    public SortedDictionary<long, UpstreamMessage> Ready { get; } = [];

    public SortedDictionary<long, InFlightMessage> InFlight { get; } = [];

    public long Saved { get; set; } = acknowledged;

    /// <summary>Where the next round-robin turn among the group's subscribers starts.</summary>
    public int RoundRobin { get; set; }

    /// <summary>The seq up to which every message is acknowledged.</summary>
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

    /// <summary>A newly stored message: taken straight into the window when it is the next one, else read later.</summary>
    public void OnStored(UpstreamMessage message)
    {
        if (message.Seq <= ReadUpTo)
        {
            return;
        }

        if (!MaybeMore && message.Seq == ReadUpTo + 1)
        {
            Ready[message.Seq] = message;
            ReadUpTo = message.Seq;
        }
        else
        {
            MaybeMore = true;
        }
    }

    /// <summary>Takes a page read from the timeline into the window.</summary>
    public void OnRead(AppMsg.Messaging.TimelinePage page)
    {
        for (var i = 0; i < page.Seqs.Count; i++)
        {
            var seq = page.Seqs[i];
            if (seq > ReadUpTo)
            {
                Ready[seq] = new UpstreamMessage(seq, page.Senders[i], page.Envelopes[i]);
                ReadUpTo = seq;
            }
        }

        MaybeMore = page.NextAfter is not null;
    }

    /// <summary>Acknowledges a seq; returns the subscriber it was in flight to, or null.</summary>
    public bool Acknowledge(long seq, out string? subscriber)
    {
        if (InFlight.Remove(seq, out var inFlight))
        {
            subscriber = inFlight.Subscriber;
            return true;
        }

        subscriber = null;
        return Ready.Remove(seq);
    }

    /// <summary>Puts what is in flight to <paramref name="subscriber"/> back to be sent (to anyone).</summary>
    public int Requeue(string subscriber) => RequeueWhere(f => f.Subscriber == subscriber);

    /// <summary>Puts what matches back to be sent.</summary>
    public int RequeueWhere(Func<InFlightMessage, bool> predicate)
    {
        var moved = InFlight.Where(p => predicate(p.Value)).Select(p => p.Key).ToList();
        foreach (var seq in moved)
        {
            Ready[seq] = InFlight[seq].Message;
            InFlight.Remove(seq);
        }

        return moved.Count;
    }

    public int InFlightTo(string subscriber) => InFlight.Values.Count(f => f.Subscriber == subscriber);
}

/// <summary>A message sent to a subscriber and not yet acknowledged.</summary>
internal sealed record InFlightMessage(UpstreamMessage Message, string Subscriber, DateTimeOffset SentAt);
