using Orleans.Concurrency;

namespace AppMsg.Backends;

/// <summary>
/// A backend of an app, connected as an Orleans client: it receives the app's upstream messages and
/// acknowledges each by seq with <see cref="IAppUpstreamGrain.AcknowledgeAsync"/>. Calls are one-way:
/// an observer that throws or does not answer simply does not acknowledge, and the messages come again.
/// </summary>
public interface IBackendObserver : IGrainObserver
{
    /// <summary>Messages of the app's upstream timeline, in seq order within the call.</summary>
    [OneWay]
    Task OnMessagesAsync(string appId, IReadOnlyList<UpstreamMessage> messages);

    /// <summary>
    /// Sessions of the app's tenant came online or went offline (only with <see cref="BackendSubscription.SessionEvents"/>), in
    /// seq order within the call. Acknowledge each by <see cref="SessionEvent.Seq"/> with
    /// <see cref="IAppUpstreamGrain.AcknowledgeSessionEventsAsync"/>; until then they come again (de-duplicate by <see cref="SessionEvent.Id"/>).
    /// </summary>
    [OneWay]
    Task OnSessionEventsAsync(string appId, IReadOnlyList<SessionEvent> sessionEvents);
}
