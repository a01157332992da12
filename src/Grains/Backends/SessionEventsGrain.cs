using AppMsg.Backends;
using AppMsg.Grains.Timelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AppMsg.Grains.Backends;

/// <summary>
/// Owns a tenant's session-events timeline (<see cref="SessionEventsTimeline"/>): numbers each published event, stores it
/// once through the group-commit writer (events of all tenants share commits with the messages), then tells the interested
/// apps' upstream grains, which deliver from their own stored positions. Publishing is one-way and never waits for the
/// store: events queue in memory (bounded) until committed, and a failed commit is retried in order.
/// </summary>
[Reentrant]
public sealed partial class SessionEventsGrain(
    [PersistentState("sessionEvents", StorageNames.Default)] IPersistentState<SessionEventsState> state,
    TimelineWriter writer,
    TimelineReader reader,
    IOptions<SessionEventsOptions> options,
    TimeProvider clock,
    ILogger<SessionEventsGrain> logger) : Grain, ISessionEventsGrain
{
    private const int MaxBatch = 500;

    private readonly List<SessionEvent> pending = [];
    private long lastSeq = -1;
    private Task? loading;
    private Task storing = Task.CompletedTask;
    private bool running;

    private string TenantId => this.GetPrimaryKeyString();

    private string Timeline => SessionEventsTimeline.Of(TenantId);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A graceful shutdown lets what is queued reach the store first (bounded by the deactivation timeout).
        try
        {
            await storing.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            if (pending.Count > 0)
            {
                LogLostAtDeactivation(logger, TenantId, pending.Count);
            }
        }
    }

    public async Task AddAppAsync(string appId)
    {
        if (state.State.Apps.Add(appId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAppAsync(string appId)
    {
        if (state.State.Apps.Remove(appId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task PublishAsync(SessionEvent sessionEvent)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        if (state.State.Apps.Count == 0)
        {
            // Nobody listens: nothing is stored.
            return Task.CompletedTask;
        }

        if (pending.Count >= options.Value.MaxPending)
        {
            LogDropped(logger, TenantId, pending[0].Id, pending[0].SessionId);
            pending.RemoveAt(0);
        }

        pending.Add(sessionEvent.Id.Length == 0 ? sessionEvent with { Id = Ids.New() } : sessionEvent);
        if (!running)
        {
            running = true;
            storing = StoreLoopAsync();
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<SessionEvent>> ReadAsync(long afterSeq, int limit)
    {
        if (limit is < 1 or > 500)
        {
            throw AppMsgException.Invalid("limit", "limit must be 1 to 500");
        }

        await EnsureLastSeqAsync();
        if (afterSeq >= lastSeq && lastSeq >= 0)
        {
            return [];
        }

        var rows = await FromStoreAsync(() => reader.ReadAsync(Timeline, Math.Max(0, afterSeq), limit));
        return [.. rows.Select(r => SessionEventJson.FromStored(r.Envelope, r.Seq))];
    }

    public async Task<long> GetLastSeqAsync()
    {
        await EnsureLastSeqAsync();
        return lastSeq;
    }

    private async Task StoreLoopAsync()
    {
        try
        {
            while (pending.Count > 0)
            {
                if (!await TryStoreBatchAsync())
                {
                    await Task.Delay(options.Value.RetryDelay, clock);
                }
            }
        }
        finally
        {
            running = false;
        }
    }

    /// <summary>Stores the oldest pending events as one batch of appends; false when some could not be stored (they stay first in line).</summary>
    private async Task<bool> TryStoreBatchAsync()
    {
        try
        {
            await EnsureLastSeqAsync();
        }
        catch (AppMsgException e)
        {
            LogStoreFailed(logger, TenantId, pending.Count, e.Message);
            return false;
        }

        var count = Math.Min(pending.Count, MaxBatch);
        var now = clock.GetUtcNow();
        var expiresAt = now + options.Value.Retention;
        var sender = $"{TenantId}@tenant";
        var batch = new SessionEvent[count];
        var appends = new Task[count];
        for (var i = 0; i < count; i++)
        {
            batch[i] = pending[i] with { Seq = lastSeq + 1 + i };
            appends[i] = writer.AppendAsync(new StoredMessage(Timeline, batch[i].Seq, batch[i].Id, sender, now, expiresAt, SessionEventJson.ToStored(batch[i])));
        }

        pending.RemoveRange(0, count);
        try
        {
            await Task.WhenAll(appends);
        }
        catch (AppMsgException)
        {
            // Looked at one by one below.
        }

        var stored = new List<SessionEvent>(count);
        var failed = new List<SessionEvent>();
        string? reason = null;
        for (var i = 0; i < count; i++)
        {
            if (appends[i].IsCompletedSuccessfully)
            {
                stored.Add(batch[i]);
            }
            else
            {
                reason ??= appends[i].Exception?.InnerException?.Message;
                failed.Add(batch[i] with { Seq = 0 });
            }
        }

        if (failed.Count == 0)
        {
            lastSeq += count;
        }
        else
        {
            // Numbered again after the last seq is re-read; the writer refuses this timeline's later seqs until then.
            LogStoreFailed(logger, TenantId, failed.Count, reason ?? "unknown");
            pending.InsertRange(0, failed);
            lastSeq = -1;
        }

        if (stored.Count > 0)
        {
            foreach (var appId in state.State.Apps)
            {
                GrainFactory.GetGrain<IAppUpstreamGrain>(appId).OnSessionEventsStoredAsync(stored).Ignore();
            }
        }

        return failed.Count == 0;
    }

    /// <summary>Knows the last stored seq: read at activation and after a failed store (one read for all who wait).</summary>
    private async Task EnsureLastSeqAsync()
    {
        while (lastSeq < 0)
        {
            var load = loading ??= LoadLastSeqAsync();
            try
            {
                await load;
            }
            finally
            {
                if (loading == load)
                {
                    loading = null;
                }
            }
        }
    }

    private async Task LoadLastSeqAsync()
    {
        writer.ClearFailure(Timeline);
        lastSeq = await FromStoreAsync(() => reader.LastSeqAsync(Timeline));
    }

    private static async Task<T> FromStoreAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new AppMsgException(ErrorCodes.Unavailable, "the session events store does not answer; retry later");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {TenantId}: {Count} session events could not be stored yet, retrying: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string tenantId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {TenantId}: too many session events wait for the store; dropped event {EventId} of session {SessionId}")]
    private static partial void LogDropped(ILogger logger, string tenantId, string eventId, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {TenantId}: deactivated with {Count} session events not stored; they are lost")]
    private static partial void LogLostAtDeactivation(ILogger logger, string tenantId, int count);
}
