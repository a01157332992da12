using System.Diagnostics;

namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// What the devices received: each message number counted once per receiver (duplicates apart), its
/// publish-to-receive latency, warm-up messages, and when each receiver reached a target count (replay).
/// </summary>
public sealed class DeliveryLedger
{
    private readonly BitSet[] seen;
    private readonly int[] counts;
    private readonly int[] warm;
    private readonly long[] completedAt;
    private readonly bool perReceiver;
    private readonly Action<long>? onFirstReceipt;
    private long delivered;
    private long duplicates;
    private long unreadable;
    private int warmReceivers;
    private int completeReceivers;
    private long lastDelivery;

    /// <param name="receivers">How many receivers there are.</param>
    /// <param name="perReceiver">True when every receiver gets every message (fan-out); false when each message has one receiver (1:1).</param>
    /// <param name="targetPerReceiver">The count at which a receiver is complete (replay), or 0.</param>
    public DeliveryLedger(int receivers, bool perReceiver, int targetPerReceiver = 0, Action<long>? onFirstReceipt = null)
    {
        this.onFirstReceipt = onFirstReceipt;
        this.perReceiver = perReceiver;
        seen = new BitSet[perReceiver ? receivers : 1];
        for (var i = 0; i < seen.Length; i++)
        {
            seen[i] = new BitSet();
        }

        counts = new int[receivers];
        warm = new int[receivers];
        completedAt = new long[receivers];
        TargetPerReceiver = targetPerReceiver;
        Latency = new LatencyHistogram();
    }

    public LatencyHistogram Latency { get; }

    public int TargetPerReceiver { get; }

    public long Delivered => Interlocked.Read(ref delivered);

    public long Duplicates => Interlocked.Read(ref duplicates);

    public long Unreadable => Interlocked.Read(ref unreadable);

    public int WarmReceivers => Volatile.Read(ref warmReceivers);

    public int CompleteReceivers => Volatile.Read(ref completeReceivers);

    /// <summary>When the last counted message arrived (Stopwatch timestamp), 0 before any.</summary>
    public long LastDelivery => Interlocked.Read(ref lastDelivery);

    /// <summary>When each receiver reached the target, in seconds after <paramref name="start"/>; receivers that did not are left out.</summary>
    public double[] CompletionSeconds(long start) =>
        [.. completedAt.Where(t => t > 0).Select(t => (t - start) / (double)Stopwatch.Frequency).Order()];

    /// <summary>The latest time a receiver completed (Stopwatch timestamp), 0 while none has.</summary>
    public long LastCompletion => completedAt.Length == 0 ? 0 : completedAt.Max();

    public void Record(int receiver, ReadOnlySpan<byte> payload)
    {
        if (!BenchPayload.TryRead(payload, out var n, out var sent))
        {
            Interlocked.Increment(ref unreadable);
            return;
        }

        if (n <= 0)
        {
            if (Interlocked.Exchange(ref warm[receiver], 1) == 0)
            {
                Interlocked.Increment(ref warmReceivers);
            }

            return;
        }

        if (!seen[perReceiver ? receiver : 0].TryAdd(n))
        {
            Interlocked.Increment(ref duplicates);
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref delivered);
        Volatile.Write(ref lastDelivery, now);
        Latency.Record(Stopwatch.GetElapsedTime(sent, now));
        onFirstReceipt?.Invoke(n);
        if (Interlocked.Increment(ref counts[receiver]) == TargetPerReceiver && TargetPerReceiver > 0)
        {
            completedAt[receiver] = now;
            Interlocked.Increment(ref completeReceivers);
        }
    }

    /// <summary>Whether message <paramref name="n"/> reached <paramref name="receiver"/> (1:1: anyone).</summary>
    public bool Received(int receiver, long n) => seen[perReceiver ? receiver : 0].Contains(n);
}
