using System.Diagnostics.Metrics;

namespace AppMsg.Grains.Metrics;

/// <summary>
/// The silo's own instruments (meter <c>AppMsg.Silo</c>, names in docs/metrics.md): the group commit of timeline
/// appends and the webhook outcomes. Static: one per process; records take at most one constant tag.
/// </summary>
public static class SiloMetrics
{
    public const string MeterName = "AppMsg.Silo";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram(
        "appmsg.silo.group_commit.batch_size", "{message}", "Messages written by one group-commit statement",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "appmsg.silo.group_commit.duration", "s", "One group-commit statement, from sending it to its commit (or failure)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Counter<long> Stored = Meter.CreateCounter<long>(
        "appmsg.silo.messages.stored", "{message}", "Messages committed to timelines by this silo");

    private static readonly Counter<long> CommitFailures = Meter.CreateCounter<long>(
        "appmsg.silo.group_commit.failures", "{batch}", "Group-commit statements that failed (the database did not answer in time)");

    private static readonly Counter<long> Webhooks = Meter.CreateCounter<long>(
        "appmsg.silo.webhook.deliveries", "{delivery}", "Webhook POSTs by outcome: delivered, failed (retried later) or dead_lettered");

    private static readonly KeyValuePair<string, object?> WebhookDelivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> WebhookFailed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> WebhookDeadLettered = new("outcome", "dead_lettered");

    /// <summary>A group commit of <paramref name="batch"/> messages, <paramref name="stored"/> of them new, took <paramref name="elapsed"/>.</summary>
    public static void Committed(int batch, int stored, TimeSpan elapsed)
    {
        BatchSize.Record(batch);
        CommitDuration.Record(elapsed.TotalSeconds);
        Stored.Add(stored);
    }

    public static void CommitFailed(int batch, TimeSpan elapsed)
    {
        BatchSize.Record(batch);
        CommitDuration.Record(elapsed.TotalSeconds);
        CommitFailures.Add(1);
    }

    public static void WebhookPosted(bool delivered) => Webhooks.Add(1, delivered ? WebhookDelivered : WebhookFailed);

    public static void WebhookDeadLetter() => Webhooks.Add(1, WebhookDeadLettered);
}
