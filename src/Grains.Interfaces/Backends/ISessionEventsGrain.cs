using Orleans.Concurrency;

namespace AppMsg.Backends;

/// <summary>
/// The session events of one tenant (keyed by tenant id): the user session lists publish here when a
/// terminal comes online or goes offline. While at least one app of the tenant asked for them (a backend
/// subscribed with <see cref="BackendSubscription.SessionEvents"/>, or a webhook with session events on), each
/// event is stored once in the tenant's session-events timeline (numbered 1, 2, 3, ...; group commit; kept for
/// the retention, 24 hours by default), and the apps' upstream grains are told; their backends read it from
/// their own acknowledged positions, which survive restarts. The set of interested apps is persisted.
/// </summary>
public interface ISessionEventsGrain : IGrainWithStringKey
{
    /// <summary>Adds an app of this tenant to the receivers (idempotent).</summary>
    Task AddAppAsync(string appId);

    /// <summary>Removes an app from the receivers.</summary>
    Task RemoveAppAsync(string appId);

    /// <summary>
    /// Stores an event (it gets its <see cref="SessionEvent.Seq"/> here) and hands it to every interested app. One-way:
    /// the publisher never waits; an event is lost only if this grain's silo dies before the store commits it.
    /// </summary>
    [OneWay]
    Task PublishAsync(SessionEvent sessionEvent);

    /// <summary>Stored events after <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/> (1 to 500); pruned ones are skipped.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when the store does not answer.</exception>
    Task<IReadOnlyList<SessionEvent>> ReadAsync(long afterSeq, int limit);

    /// <summary>The seq of the last stored event (0 when none): where a new reader starts.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when the store does not answer.</exception>
    Task<long> GetLastSeqAsync();
}
