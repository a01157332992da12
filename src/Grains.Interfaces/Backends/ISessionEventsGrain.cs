using Orleans.Concurrency;

namespace AppMsg.Backends;

/// <summary>
/// The session events of one tenant (keyed by tenant id): the user session lists publish here when a
/// terminal comes online or goes offline, and the apps of the tenant that asked for them (a backend
/// subscribed with <see cref="BackendSubscription.SessionEvents"/>, or a webhook with session events on)
/// receive them. The set of interested apps is persisted.
/// </summary>
public interface ISessionEventsGrain : IGrainWithStringKey
{
    /// <summary>Adds an app of this tenant to the receivers (idempotent).</summary>
    Task AddAppAsync(string appId);

    /// <summary>Removes an app from the receivers.</summary>
    Task RemoveAppAsync(string appId);

    /// <summary>Hands an event to every interested app.</summary>
    [OneWay]
    Task PublishAsync(SessionEvent sessionEvent);
}
