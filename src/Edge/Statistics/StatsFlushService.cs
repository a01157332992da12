using AppMsg.Edge.Cluster;
using AppMsg.Statistics;

namespace AppMsg.Edge.Statistics;

/// <summary>
/// Every <see cref="Period"/>, hands what <see cref="StatsCollector"/> counted to <see cref="IStatsGrain"/> in one call
/// (one database statement); what cannot be written is kept for the next flush. A last flush runs at shutdown.
/// </summary>
public sealed partial class StatsFlushService(StatsCollector collector, IClusterClient cluster, ILogger<StatsFlushService> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(call => call.WhileStoppingBy(cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await FlushAsync(call => call.InLoopOf(stoppingToken));
        }
    }

    private async Task FlushAsync(Func<Task, Task> bounded)
    {
        var rows = collector.Take();
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await bounded(cluster.GetGrain<IStatsGrain>(0).RecordAsync(rows));
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException or OperationCanceledException)
        {
            collector.Restore(rows);
            LogFailed(logger, rows.Count, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Statistics of {Rows} tenant-hours not written yet: {Reason}")]
    private static partial void LogFailed(ILogger logger, int rows, string reason);
}
