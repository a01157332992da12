using AppMsg.Edge.Cluster;
using AppMsg.Messaging;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Once a second per connection: resends PUSHes left unacknowledged for 5 s (once), and hands the cursors that
/// acknowledgements moved to the users' cursor grains, in one batch call per tick. The connections are taken in
/// ten slices, one every 100 ms, so that the cursor work does not come all at once (a burst of per-user calls
/// each second was the tail of 1:1 latency). A connection whose write has stalled past the limit is closed.
/// </summary>
public sealed partial class DeviceMaintenanceService(
    DeviceConnections connections, IClusterClient cluster, ILogger<DeviceMaintenanceService> logger)
    : BackgroundService
{
    /// <summary>How many slices the connections are maintained in, one slice per tick.</summary>
    public const int Slices = 10;

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1) / Slices;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        var ticks = 0L;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var slice = ++ticks % Slices;
            List<CursorAdvance>? advances = null;
            foreach (var connection in connections.All)
            {
                if (connection.MaintenanceSlice != slice)
                {
                    continue;
                }

                try
                {
                    if (await connection.MaintainAsync() is { } moved)
                    {
                        (advances ??= []).Add(moved);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e.Message);
                }
            }

            if (advances is not null)
            {
                await HandOverAsync(advances, stoppingToken);
            }
        }
    }

    private async Task HandOverAsync(List<CursorAdvance> advances, CancellationToken stopping)
    {
        try
        {
            await cluster.GetGrain<ICursorBatchGrain>(0).AdvanceAsync(advances).InLoopOf(stopping);
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            // Not fatal: those cursors stay behind, and their terminals see the messages again on replay.
            LogCursorsNotHandedOver(logger, advances.Count, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cursors of {Count} terminals not handed over: {Reason}")]
    private static partial void LogCursorsNotHandedOver(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device maintenance failed for a connection: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
