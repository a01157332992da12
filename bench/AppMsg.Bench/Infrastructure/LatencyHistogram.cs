namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (64 per power of two: about 1.5 % resolution), recorded
/// from many threads without locks. Max is exact.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int Powers = 40;
    private readonly long[] buckets = new long[SubBuckets + (Powers * SubBuckets)];
    private long count;
    private long max;

    public long Count => Interlocked.Read(ref count);

    public double MaxMs => Interlocked.Read(ref max) / 1000.0;

    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(0, (long)(latency.Ticks / 10));
        Interlocked.Increment(ref buckets[IndexOf(micros)]);
        Interlocked.Increment(ref count);
        long seen;
        while (micros > (seen = Interlocked.Read(ref max)) && Interlocked.CompareExchange(ref max, micros, seen) != seen)
        {
        }
    }

    /// <summary>The latency below which <paramref name="percentile"/> percent of the records lie, in milliseconds; null when empty.</summary>
    public double? PercentileMs(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += Interlocked.Read(ref buckets[i]);
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(ValueOf(i), Interlocked.Read(ref max)) / 1000.0;
            }
        }

        return MaxMs;
    }

    private static int IndexOf(long micros)
    {
        if (micros < SubBuckets)
        {
            return (int)micros;
        }

        var power = 63 - (int)long.LeadingZeroCount(micros); // >= 6
        var sub = (int)(micros >> (power - 6)) - SubBuckets;
        return Math.Min(SubBuckets + ((power - 6) * SubBuckets) + sub, (SubBuckets * (Powers + 1)) - 1);
    }

    /// <summary>The middle of bucket <paramref name="index"/>.</summary>
    private static long ValueOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var power = ((index - SubBuckets) / SubBuckets) + 6;
        var sub = (index - SubBuckets) % SubBuckets;
        var low = (long)(SubBuckets + sub) << (power - 6);
        return low + ((1L << (power - 6)) / 2);
    }
}
