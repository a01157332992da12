using AppMsg.Backends;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AppMsg.Grains.Backends;

/// <summary>A user's stored callbacks, persisted; sent to each matching session that attaches until one answers.</summary>
public sealed partial class PendingCallbacksGrain(
    [PersistentState(PendingCallbacksGrain.StateName, StorageNames.Default)] IPersistentState<PendingCallbacksState> state,
    TimeProvider clock,
    ILogger<PendingCallbacksGrain> logger) : Grain, IPendingCallbacksGrain
{
    /// <summary>The name Orleans stores this grain's state under (<c>graintypestring</c> of its rows).</summary>
    public const string StateName = "pendingCallbacks";

    public const int MaxPerUser = 100;

    private List<StoredCallback> Callbacks => state.State.Callbacks;

    public async Task StoreAsync(StoredCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        DropExpired();
        Callbacks.Add(callback);
        while (Callbacks.Count > MaxPerUser)
        {
            LogDropped(logger, Callbacks[0].CallbackId, this.GetPrimaryKeyString());
            Callbacks.RemoveAt(0);
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<StoredCallback>> ListAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult<IReadOnlyList<StoredCallback>>([.. Callbacks.Where(c => c.ExpiresAt > now)]);
    }

    public async Task DeliverAsync(SessionInfo session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Callbacks.Count == 0)
        {
            // Asked at every REGISTER: a user with nothing stored keeps no activation in silo memory.
            DeactivateOnIdle();
            return;
        }

        if (DropExpired())
        {
            await state.WriteStateAsync();
        }

        foreach (var callback in Callbacks.Where(c => (c.TerminalTypes & session.TerminalType) != 0).ToList())
        {
            try
            {
                await GrainFactory.GetGrain<ICallbackGrain>(callback.CallbackId).DeliverStoredAsync(callback, session);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogDeliveryFailed(logger, callback.CallbackId, e.Message);
            }
        }
    }

    public async Task<bool> CompleteAsync(string callbackId)
    {
        if (Callbacks.RemoveAll(c => c.CallbackId == callbackId) == 0)
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    private bool DropExpired()
    {
        var now = clock.GetUtcNow();
        return Callbacks.RemoveAll(c => c.ExpiresAt <= now) > 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored callback {CallbackId} of user {UserId} dropped: too many stored")]
    private static partial void LogDropped(ILogger logger, string callbackId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored callback {CallbackId} could not be sent: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, string callbackId, string reason);
}
