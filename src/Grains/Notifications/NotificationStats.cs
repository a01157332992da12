using System.Collections.Concurrent;
using AppMsg.Directory;
using AppMsg.Statistics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Counts notification outcomes per app in memory and adds them to the statistics every <see cref="FlushPeriod"/>, one
/// <see cref="IStatsGrain.RecordAsync"/> call for all apps (the app's tenant read once per app and silo). Counts that
/// cannot be written are kept for the next flush. Bounded: at most <see cref="MaxApps"/> apps counted at once.
/// </summary>
public sealed partial class NotificationStats(IGrainFactory grains, TimeProvider clock, ILogger<NotificationStats> logger) : BackgroundService
{
    public const int MaxApps = 10_000;
    public static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(2);

    private ConcurrentDictionary<string, long[]> counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> tenantOfApp = new(StringComparer.Ordinal);

    /// <summary>Counts one outcome ("sent", "pruned", "failed:..."; "expired" is not counted) for the app.</summary>
    public void Count(string appId, string outcome)
    {
        var counter = outcome switch
        {
            "sent" => StatsCounter.NotificationsSent,
            "pruned" => StatsCounter.NotificationsPruned,
            _ when outcome.StartsWith("failed", StringComparison.Ordinal) => StatsCounter.NotificationsFailed,
            _ => (StatsCounter?)null,
        };
        if (counter is null)
        {
            return;
        }

        // Counting the dictionary takes all its locks: only a new app pays that.
        if (!counts.TryGetValue(appId, out var row))
        {
            if (counts.Count >= MaxApps)
            {
                return;
            }

            row = counts.GetOrAdd(appId, static _ => new long[StatsRow.CounterCount]);
        }

        Interlocked.Increment(ref row[(int)counter]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushPeriod, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }

        await FlushAsync();
    }

    private async Task FlushAsync()
    {
        if (counts.IsEmpty)
        {
            return;
        }

        var taken = Interlocked.Exchange(ref counts, new(StringComparer.Ordinal));
        var hour = new DateTimeOffset(clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero);
        var rows = new List<StatsRow>(taken.Count);
        try
        {
            foreach (var (appId, appCounts) in taken)
            {
                if (!tenantOfApp.TryGetValue(appId, out var tenantId))
                {
                    tenantId = (await grains.GetGrain<IAppGrain>(appId).GetAsync())?.TenantId;
                    if (tenantId is null)
                    {
                        continue;
                    }

                    if (tenantOfApp.Count >= MaxApps)
                    {
                        tenantOfApp.Clear();
                    }

                    tenantOfApp[appId] = tenantId;
                }

                rows.Add(new StatsRow(tenantId, appId, hour, appCounts));
            }

            await grains.GetGrain<IStatsGrain>(0).RecordAsync(rows);
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogNotRecorded(logger, taken.Count, e.Message);
            foreach (var (appId, appCounts) in taken)
            {
                var into = counts.GetOrAdd(appId, static _ => new long[StatsRow.CounterCount]);
                for (var i = 0; i < appCounts.Length; i++)
                {
                    Interlocked.Add(ref into[i], appCounts[i]);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification counts of {Apps} apps not recorded yet: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, int apps, string reason);
}
