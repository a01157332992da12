using AppMsg.Sessions;
using Orleans.Concurrency;

namespace AppMsg.Backends;

/// <summary>
/// The stored CALLBACKs of one user (keyed by user id), persisted: sent to every matching session that
/// registers, until one answers (the answer goes to the asking app's upstream timeline) or they expire.
/// </summary>
public interface IPendingCallbacksGrain : IGrainWithStringKey
{
    /// <summary>Stores a callback (at most 100 per user; the oldest is dropped beyond that).</summary>
    Task StoreAsync(StoredCallback callback);

    /// <summary>The stored callbacks that have not expired.</summary>
    Task<IReadOnlyList<StoredCallback>> ListAsync();

    /// <summary>Sends the stored callbacks that match the session's terminal type (called when a session attaches).</summary>
    [OneWay]
    Task DeliverAsync(SessionInfo session);

    /// <summary>Removes an answered callback; false when it was not stored (any more).</summary>
    Task<bool> CompleteAsync(string callbackId);
}
