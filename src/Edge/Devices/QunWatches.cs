using AppMsg.Edge.Cluster;
using AppMsg.Messaging;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Tells qun timelines that this edge has subscribers, so that a qun message is sent only to edges with
/// members of the qun online. Counted per qun: the first connection to subscribe registers the edge with
/// the qun's timeline grain (awaited, so nothing stored afterwards misses this edge), the last to leave
/// unregisters it, and every registration is renewed periodically (a timeline grain forgets edges that
/// stop renewing, and a re-activated one sends to every edge until the renewals have come in).
/// Other audiences (orgs, tenants, app broadcasts) go to every live edge.
/// </summary>
public sealed partial class QunWatches(IClusterClient cluster, EdgeSettings edge, ILogger<QunWatches> logger) : BackgroundService
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, Watch> watches = new(StringComparer.Ordinal);
    // Starts from the clock, so that a restarted edge's registrations (same edge id) outrank its earlier run's.
    private long generation = DateTime.UtcNow.Ticks;

    /// <summary>Qun timelines watched now (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (sync)
            {
                return watches.Count;
            }
        }
    }

    public async Task AcquireAsync(string audience)
    {
        if (!IsQun(audience))
        {
            return;
        }

        Task registered;
        lock (sync)
        {
            if (!watches.TryGetValue(audience, out var watch))
            {
                watch = new Watch(RegisterAsync(audience));
                watches[audience] = watch;
            }

            watch.Count++;
            registered = watch.Registered;
        }

        await registered;
    }

    public void Release(string audience)
    {
        if (!IsQun(audience))
        {
            return;
        }

        lock (sync)
        {
            if (!watches.TryGetValue(audience, out var watch) || --watch.Count > 0)
            {
                return;
            }

            watches.Remove(audience);
        }

        UnregisterAsync(audience).Ignore();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(EdgeWatch.RenewPeriod);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            string[] audiences;
            lock (sync)
            {
                audiences = [.. watches.Keys];
            }

            foreach (var chunk in audiences.Chunk(100))
            {
                await Task.WhenAll(chunk.Select(timeline => RegisterAsync(timeline, stoppingToken)));
            }
        }
    }

    private static bool IsQun(string audience) => audience.EndsWith("@qun", StringComparison.Ordinal);

    /// <summary>Unbounded for a device's REGISTER (it must not pass on before the timeline knows this edge); bounded for the renewal loop.</summary>
    private async Task RegisterAsync(string timeline, CancellationToken stopping = default)
    {
        try
        {
            var call = cluster.GetGrain<ITimelineGrain>(timeline).AddEdgeAsync(edge.EdgeId, Interlocked.Increment(ref generation));
            await (stopping.CanBeCanceled ? call.InLoopOf(stopping) : call);
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            // The renewal retries; until then the timeline's activation fallback or a replay covers this edge.
            LogWatchFailed(logger, timeline, e.Message);
        }
    }

    private async Task UnregisterAsync(string timeline)
    {
        try
        {
            await cluster.GetGrain<ITimelineGrain>(timeline).RemoveEdgeAsync(edge.EdgeId, Interlocked.Increment(ref generation));
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            LogWatchFailed(logger, timeline, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update this edge's watch of {Timeline}: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string timeline, string reason);

    private sealed class Watch(Task registered)
    {
        public Task Registered { get; } = registered;

        public int Count { get; set; }
    }
}
