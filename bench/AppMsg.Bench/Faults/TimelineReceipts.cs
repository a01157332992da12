namespace AppMsg.Bench.Faults;

/// <summary>
/// What one device received of one timeline, by seq: when it first arrived live (PUSH offline 0, or IM) and how many
/// times. Written only by the device's receive loop; read once the traffic has stopped.
/// </summary>
public sealed class TimelineReceipts
{
    private const int NotReceived = -1;
    private long[] firstLive = [];
    private int[] count = [];

    /// <summary>The highest seq received.</summary>
    public long HighestSeq { get; private set; }

    /// <summary>Counts a receipt; a duplicate only counts (and, if it is the first live copy, sets the live time).</summary>
    /// <param name="at">Stopwatch timestamp of the receipt.</param>
    public void Record(long seq, bool live, long at)
    {
        if (seq <= 0 || seq > int.MaxValue)
        {
            return;
        }

        var i = (int)seq;
        if (i >= count.Length)
        {
            Grow(i);
        }

        if (count[i]++ > 0)
        {
            if (live && firstLive[i] == NotReceived)
            {
                firstLive[i] = at;
            }

            return;
        }

        firstLive[i] = live ? at : NotReceived;
        HighestSeq = Math.Max(HighestSeq, seq);
    }

    /// <summary>How many times <paramref name="seq"/> arrived (duplicates included).</summary>
    public int Count(long seq) => seq > 0 && seq < count.Length ? count[seq] : 0;

    /// <summary>When <paramref name="seq"/> first arrived live (Stopwatch timestamp), or null.</summary>
    public long? FirstLive(long seq) => seq > 0 && seq < count.Length && count[seq] > 0 && firstLive[seq] != NotReceived ? firstLive[seq] : null;

    /// <summary>The seqs from 1 to <see cref="HighestSeq"/> never received: holes in what the device holds.</summary>
    public IEnumerable<long> Holes()
    {
        for (var seq = 1L; seq <= HighestSeq; seq++)
        {
            if (count[seq] == 0)
            {
                yield return seq;
            }
        }
    }

    private void Grow(int seq)
    {
        var size = Math.Max(64, count.Length);
        while (size <= seq)
        {
            size *= 2;
        }

        var oldLength = count.Length;
        Array.Resize(ref count, size);
        Array.Resize(ref firstLive, size);
        Array.Fill(firstLive, NotReceived, oldLength, size - oldLength);
    }
}
