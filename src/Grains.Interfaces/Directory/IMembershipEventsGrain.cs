using Orleans.Concurrency;

namespace AppMsg.Directory;

/// <summary>
/// The one path membership changes take: the user's grain publishes every join and leave (and mute) here, and
/// subscribers (edges, backends) receive them. Subscriptions expire after 5 minutes unless renewed.
/// Call it with key 0.
/// </summary>
public interface IMembershipEventsGrain : IGrainWithIntegerKey
{
    /// <summary>Subscribes or renews a subscription.</summary>
    Task SubscribeAsync(IMembershipObserver observer);

    /// <summary>Ends a subscription.</summary>
    Task UnsubscribeAsync(IMembershipObserver observer);

    /// <summary>Publishes a change to every subscriber.</summary>
    [OneWay]
    Task PublishAsync(MembershipChange change);

    /// <summary>Publishes a mute change to every subscriber; completes once they took it (or after a short bound).</summary>
    Task PublishMuteAsync(MuteChange change);
}
