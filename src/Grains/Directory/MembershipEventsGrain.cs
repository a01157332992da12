using AppMsg.Directory;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace AppMsg.Grains.Directory;

[Reentrant]
public sealed class MembershipEventsGrain(ILogger<MembershipEventsGrain> logger) : Grain, IMembershipEventsGrain
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

    public Task PublishAsync(MembershipChange change)
    {
        observers.Notify(o => o.OnMembershipChangedAsync(change));
        return Task.CompletedTask;
    }

    public Task PublishMuteAsync(MuteChange change)
    {
        observers.Notify(o => o.OnMuteChangedAsync(change));
        return Task.CompletedTask;
    }
}
