using System.Diagnostics;

namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// How many published messages are still on their way: a message leaves the window when every member has it,
/// when a later message already reached every member (it was overtaken: dropped or late), or after
/// <see cref="GiveUpAfter"/>. A message a system dropped must not stall the publisher for good (the loss is
/// counted anyway), and a system that is merely slow must not be flooded.
/// </summary>
public sealed class FanoutWindow(int members)
{
    private const int Capacity = 1 << 21;
    private static readonly long GiveUpAfter = 10 * Stopwatch.Frequency;
    private readonly int[] received = new int[Capacity];
    private readonly long[] issuedAt = new long[Capacity];
    private long issued;
    private long tail;
    private long highestComplete;

    public long Issued => Interlocked.Read(ref issued);

    /// <summary>Takes the next message number.</summary>
    public long Issue()
    {
        var n = Interlocked.Increment(ref issued);
        if (n < Capacity)
        {
            Volatile.Write(ref issuedAt[n], Stopwatch.GetTimestamp());
        }

        return n;
    }

    /// <summary>A member received message <paramref name="n"/> (first time).</summary>
    public void Received(long n)
    {
        if (n > 0 && n < Capacity && Interlocked.Increment(ref received[n]) == members)
        {
            long seen;
            while (n > (seen = Interlocked.Read(ref highestComplete)) && Interlocked.CompareExchange(ref highestComplete, n, seen) != seen)
            {
            }
        }
    }

    /// <summary>Messages issued and neither delivered to every member nor given up.</summary>
    public long Outstanding()
    {
        var now = Stopwatch.GetTimestamp();
        var last = Issued;
        var t = Interlocked.Read(ref tail);
        while (t < last && t + 1 < Capacity)
        {
            var next = t + 1;
            var at = Volatile.Read(ref issuedAt[next]);
            if (Volatile.Read(ref received[next]) >= members || next < Interlocked.Read(ref highestComplete) || (at != 0 && now - at > GiveUpAfter))
            {
                t = next;
            }
            else
            {
                break;
            }
        }

        // Several workers may advance it; keep the furthest.
        long seen;
        while (t > (seen = Interlocked.Read(ref tail)) && Interlocked.CompareExchange(ref tail, t, seen) != seen)
        {
        }

        return last - Math.Max(t, Interlocked.Read(ref tail));
    }
}
