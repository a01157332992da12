using Orleans.Concurrency;

namespace AppMsg.Backends;

/// <summary>
/// An app's upstream, keyed by app id: delivers the messages of the app's upstream timeline
/// (<see cref="AppUpstream.TimelineOf"/>) to its observer backends, at least once and in seq order, until
/// they are acknowledged, and hands them to the app's webhook. Acknowledged cursors are persisted, so a
/// backend (or a silo) that was down gets everything it did not acknowledge when it comes back. The tenant's session
/// events go the same way to the backends that asked for them, from their own consumer groups.
/// </summary>
public interface IAppUpstreamGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes or renews a backend. A subscription lapses after 60 s without renewal: renew every 20 s or
    /// more often. Subscribing with a new observer under a known name replaces the old one and sends what
    /// was in flight to it again at once.
    /// </summary>
    /// <exception cref="AppMsgException"><c>not_found</c> for an unknown app; <c>validation_failed</c> for bad options.</exception>
    Task SubscribeAsync(IBackendObserver observer, BackendSubscription subscription);

    /// <summary>Ends a backend's subscription; its messages in flight go to the group's other backends (its broadcast cursor stays).</summary>
    Task UnsubscribeAsync(string name);

    /// <summary>Acknowledges one message by seq for the group of the named backend; unknown or repeated seqs are ignored.</summary>
    Task AcknowledgeAsync(string name, long seq);

    /// <summary>Acknowledges several messages at once (see <see cref="AcknowledgeAsync"/>).</summary>
    Task AcknowledgeManyAsync(string name, IReadOnlyList<long> seqs);

    /// <summary>
    /// Acknowledges session events by <see cref="SessionEvent.Seq"/> for the named backend's session-events group (the shared
    /// backends that asked for events share one, a broadcast backend has its own); unknown or repeated seqs are ignored.
    /// </summary>
    Task AcknowledgeSessionEventsAsync(string name, IReadOnlyList<long> seqs);

    /// <summary>The consumer groups that are loaded, with their cursors and live subscribers.</summary>
    Task<IReadOnlyList<UpstreamGroupStatus>> GetStatusAsync();

    /// <summary>Called by the upstream timeline after it stored a message (not by backends).</summary>
    [OneWay]
    Task OnStoredAsync(UpstreamMessage message);

    /// <summary>Called by the tenant's session events after it stored events, in seq order (not by backends).</summary>
    [OneWay]
    Task OnSessionEventsStoredAsync(IReadOnlyList<SessionEvent> sessionEvents);
}
