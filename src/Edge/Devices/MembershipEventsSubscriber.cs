using AppMsg.Directory;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Subscribes this edge to membership changes (renewed every minute) and applies them to the
/// connections of the users concerned, so joining or leaving a group takes effect without a reconnect.
/// </summary>
public sealed partial class MembershipEventsSubscriber(
    IClusterClient cluster, DeviceConnections connections, ILogger<MembershipEventsSubscriber> logger)
    : BackgroundService, IMembershipObserver
{
    private static readonly TimeSpan RenewPeriod = TimeSpan.FromMinutes(1);

    public async Task OnMembershipChangedAsync(MembershipChange change)
    {
        foreach (var connection in connections.OfUser(change.UserId))
        {
            if (change.Joined)
            {
                await connection.JoinAudienceAsync(change.GroupAddress);
            }
            else
            {
                connection.LeaveAudience(change.GroupAddress);
            }
        }
    }

    public Task OnMuteChangedAsync(MuteChange change)
    {
        foreach (var connection in connections.OfUser(change.UserId))
        {
            connection.SetMuted(change.Sender, change.Muted);
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var reference = cluster.CreateObjectReference<IMembershipObserver>(this);
        var events = cluster.GetGrain<IMembershipEventsGrain>(0);
        using var timer = new PeriodicTimer(RenewPeriod);
        do
        {
            try
            {
                await events.SubscribeAsync(reference);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSubscribeFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership events subscription failed: {Reason}")]
    private static partial void LogSubscribeFailed(ILogger logger, string reason);
}
