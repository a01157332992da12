namespace AppMsg.Client.Internal;

/// <summary>
/// What a client has seen of one timeline, in bounded memory: every seq up to <see cref="Contiguous"/>, and a few above it
/// (beyond a gap). Seqs below the first one seen are not tracked.
/// </summary>
internal sealed class TimelineWindow(long first, int capacity)
{
    private readonly SortedSet<long> above = [];

    /// <summary>Nothing at or below this was seen here: the window starts after it.</summary>
    public long Floor { get; } = first - 1;

    /// <summary>Every seq from <see cref="Floor"/> + 1 up to this was seen (or given up on after a SYNC).</summary>
    public long Contiguous { get; private set; } = first;

    /// <summary>Whether seqs above a missing one were seen.</summary>
    public bool HasGap => above.Count > 0;

    /// <summary>The highest seq seen.</summary>
    public long Highest => above.Count > 0 ? above.Max : Contiguous;

    /// <summary>Records a seq; false when it was seen before. <paramref name="gap"/> says it lies beyond a missing seq.</summary>
    public bool Admit(long seq, out bool gap)
    {
        gap = false;
        if (seq <= Floor)
        {
            // Older than anything tracked: it cannot be told from a new one, so it goes through.
            return true;
        }

        if (seq <= Contiguous || above.Contains(seq))
        {
            return false;
        }

        if (seq == Contiguous + 1)
        {
            Contiguous = seq;
            Absorb();
            return true;
        }

        above.Add(seq);
        gap = true;
        if (above.Count > capacity)
        {
            // The memory is full: give up on the oldest gap.
            SkipTo(above.Min);
        }

        return true;
    }

    /// <summary>Counts every seq up to <paramref name="seq"/> as seen (what a complete SYNC did not bring will not come).</summary>
    public void SkipTo(long seq)
    {
        if (seq > Contiguous)
        {
            Contiguous = seq;
            above.RemoveWhere(s => s <= seq);
            Absorb();
        }
    }

    private void Absorb()
    {
        while (above.Remove(Contiguous + 1))
        {
            Contiguous++;
        }
    }
}
