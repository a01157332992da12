using AppMsg.Directory;
using AppMsg.Grains.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace AppMsg.Grains.Directory;

/// <summary>
/// Sends membership and mute changes to every live edge (found in the edge registry, so nothing here must survive a
/// re-activation) and to the observers that subscribed (backends, tools).
/// </summary>
[Reentrant]
public sealed class MembershipEventsGrain(LiveEdges liveEdges, ILogger<MembershipEventsGrain> logger) : Grain, IMembershipEventsGrain
{
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
        observers.Notify(o => o.OnMuteChangedAsync(change)).Ignore();
        foreach (var edge in (await liveEdges.GetAsync()).Observers.Values)
        {
            edge.OnMuteChangedAsync(change).Ignore();
        }
    }
}
