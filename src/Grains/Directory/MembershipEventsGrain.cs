using AppMsg.Directory;
using AppMsg.Grains.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace AppMsg.Grains.Directory;

/// <summary>
/// Sends membership and mute changes to every live edge (found in the edge registry, so nothing here must survive a
/// re-activation) and to the observers that subscribed (backends, tools, each silo's notification checks). Kept alive:
/// an idle collection would drop the subscriptions until each subscriber renews (every minute), and a silo's cached
/// mutes would miss the changes meanwhile.
/// </summary>
[Reentrant]
[KeepAlive]
public sealed partial class MembershipEventsGrain(LiveEdges liveEdges, ILogger<MembershipEventsGrain> logger) : Grain, IMembershipEventsGrain
{
    private static readonly TimeSpan MuteNoticeTimeout = TimeSpan.FromSeconds(2);

    private readonly ObserverManager<IMembershipObserver> observers = new(TimeSpan.FromMinutes(5), logger);

    public Task SubscribeAsync(IMembershipObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IMembershipObserver observer)
    {
        observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task PublishAsync(MembershipChange change)
    {
        observers.Notify(o => o.OnMembershipChangedAsync(change)).Ignore();
        foreach (var edge in (await liveEdges.GetAsync()).Observers.Values)
        {
            edge.OnMembershipChangedAsync(change).Ignore();
        }
    }

    public async Task PublishMuteAsync(MuteChange change)
    {
        // Awaited (within a bound): a caller told the mute changed must not then see a silo's cache act on the old one.
        var told = new List<Task> { observers.Notify(o => o.OnMuteChangedAsync(change)) };
        foreach (var edge in (await liveEdges.GetAsync()).Observers.Values)
        {
            told.Add(edge.OnMuteChangedAsync(change));
        }

        try
        {
            await Task.WhenAll(told).WaitAsync(MuteNoticeTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogMuteNoticeLate(logger, change.UserId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not every silo and edge confirmed user {UserId}'s mute change in time (their caches expire it): {Reason}")]
    private static partial void LogMuteNoticeLate(ILogger logger, string userId, string reason);
}
