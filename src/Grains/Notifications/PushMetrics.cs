using System.Diagnostics.Metrics;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Notification outcomes per app (<c>appmsg.push.notifications</c>, tagged app, platform and outcome: sent,
/// failed:&lt;reason&gt;, pruned, retried, cancelled, muted, dropped) and the time from message accepted to provider
/// request (<c>appmsg.push.latency</c>, ms). Read through <see cref="Snapshot"/> in tests, and by any metrics exporter.
/// </summary>
public sealed class PushMetrics : IDisposable
{
    public const string MeterName = "AppMsg.Notifications";

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> outcomes;
    private readonly Histogram<double> latency;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string App, string Outcome), long> totals = new();

    public PushMetrics()
    {
        outcomes = meter.CreateCounter<long>("appmsg.push.notifications", description: "notification outcomes per app");
        latency = meter.CreateHistogram<double>("appmsg.push.latency", "ms", "from message accepted to provider request");
    }

    public void Count(string appId, string platform, string outcome, long count = 1)
    {
        outcomes.Add(count, new("app", appId), new("platform", platform), new("outcome", outcome));
        totals.AddOrUpdate((appId, outcome), count, (_, total) => total + count);
    }

    public void Latency(TimeSpan elapsed) => latency.Record(elapsed.TotalMilliseconds);

    /// <summary>The totals counted on this silo for one app, by outcome.</summary>
    public IReadOnlyDictionary<string, long> Snapshot(string appId) =>
        totals.Where(t => t.Key.App == appId).ToDictionary(t => t.Key.Outcome, t => t.Value);

    public void Dispose() => meter.Dispose();
}
