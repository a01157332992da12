using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Notification outcomes per app (<c>appmsg.push.notifications</c>, tagged app, platform and outcome: sent,
/// failed:&lt;reason&gt;, pruned, retried, cancelled, muted, dropped) and the time from message accepted to provider
/// request (<c>appmsg.push.latency</c>, ms). Read through <see cref="Snapshot"/> in tests, and by any metrics exporter.
/// </summary>
/// <remarks>
/// Counting is one dictionary read and one interlocked add per notification; the exporter reads the totals when it
/// collects (an observable counter), rather than every count going through the meter's tag aggregation.
/// </remarks>
public sealed class PushMetrics : IDisposable
{
    public const string MeterName = "AppMsg.Notifications";

    private readonly Meter meter = new(MeterName);
    private readonly Histogram<double> latency;
    private readonly ConcurrentDictionary<(string App, string Platform, string Outcome), StrongBox> totals = new();

    public PushMetrics()
    {
        meter.CreateObservableCounter("appmsg.push.notifications", Observe, description: "notification outcomes per app");
        latency = meter.CreateHistogram<double>("appmsg.push.latency", "ms", "from message accepted to provider request");
    }

    public void Count(string appId, string platform, string outcome, long count = 1)
    {
        if (!totals.TryGetValue((appId, platform, outcome), out var total))
        {
            total = totals.GetOrAdd((appId, platform, outcome), static _ => new StrongBox());
        }

        Interlocked.Add(ref total.Value, count);
    }

    public void Latency(TimeSpan elapsed) => latency.Record(elapsed.TotalMilliseconds);

    /// <summary>The totals counted on this silo for one app, by outcome.</summary>
    public IReadOnlyDictionary<string, long> Snapshot(string appId) =>
        totals.Where(t => t.Key.App == appId).GroupBy(t => t.Key.Outcome).ToDictionary(g => g.Key, g => g.Sum(t => Interlocked.Read(ref t.Value.Value)));

    public void Dispose() => meter.Dispose();

    private IEnumerable<Measurement<long>> Observe() =>
        totals.Select(t => new Measurement<long>(Interlocked.Read(ref t.Value.Value),
            new("app", t.Key.App), new("platform", t.Key.Platform), new("outcome", t.Key.Outcome)));

    private sealed class StrongBox
    {
        public long Value;
    }
}
