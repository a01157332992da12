namespace AppMsg.Edge.Devices;

/// <summary>
/// Once a second: resends PUSHes left unacknowledged for 5 s (once), and hands the cursors that
/// acknowledgements moved to the users' cursor grains, one call per connection that has any; every
/// 30 s, forgets the ordering state of idle timelines.
/// </summary>
public sealed partial class DeviceMaintenanceService(DeviceConnections connections, TimelineSequencer sequencer, ILogger<DeviceMaintenanceService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private const int SweepEvery = 30;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        var ticks = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (++ticks % SweepEvery == 0)
            {
                sequencer.Sweep();
            }

            foreach (var connection in connections.All)
            {
                try
                {
                    await connection.MaintainAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e.Message);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device maintenance failed for a connection: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
