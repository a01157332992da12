using AppMsg.Quotas;
using Orleans.Runtime;

namespace AppMsg.Grains.Quotas;

/// <summary>
/// One tenant's or app's quota. Daily counts are stored with each grant (a grant counts as used until given back);
/// the rate bucket and the connection slots edges hold live in memory: edges restate their slots with every
/// settlement (every 2 s), and an edge not heard from for <see cref="EdgeExpiry"/> holds none.
/// </summary>
public sealed class QuotaGrain(
    [PersistentState("quota", StorageNames.Default)] IPersistentState<QuotaState> state,
    TimeProvider time) : Grain, IQuotaGrain
{
    /// <summary>An edge that has not settled for this long is gone: its connection slots are free again.</summary>
    public static readonly TimeSpan EdgeExpiry = TimeSpan.FromSeconds(30);

    /// <summary>After a refusal, for this long, edges are told to give back what they hold at each settlement.</summary>
    public static readonly TimeSpan ShortFor = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, EdgeHolding> edges = new(StringComparer.Ordinal);
    private double rateTokens = -1;
    private DateTimeOffset rateAt;
    private DateTimeOffset lastRefusal = DateTimeOffset.MinValue;

    /// <summary>
    /// How long a media reservation counts after its upload last reserved (uploads must end within the hour): one whose
    /// edge died before settling frees its room then.
    /// </summary>
    public static readonly TimeSpan MediaReservationLife = TimeSpan.FromHours(1);

    private QuotaState Quota => state.State;

    public Task<QuotaLimits> GetLimitsAsync() => Task.FromResult(Quota.Limits);

    public async Task SetLimitsAsync(QuotaLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        Quota.Limits = limits;
        rateTokens = -1;
        await state.WriteStateAsync();
    }

    public Task<QuotaStatus> GetStatusAsync()
    {
        RollDay();
        var usage = new QuotaUsage(DateOnly.FromDayNumber(Quota.Day), Quota.ApiCalls, Quota.Messages, HeldConnections(), Quota.MediaBytes);
        return Task.FromResult(new QuotaStatus(Quota.Limits, usage));
    }

    public async Task<QuotaLease> LeaseAsync(string edgeId, QuotaCounter counter, long needed)
    {
        var now = time.GetUtcNow();
        var edge = Touch(edgeId, now);
        RollDay();
        var limit = Quota.Limits.Of(counter);
        if (limit < 0 || needed <= 0)
        {
            return new QuotaLease(Math.Max(needed, 0), Quota.Day, 0, Quota.Limits);
        }

        switch (counter)
        {
            case QuotaCounter.ApiCalls or QuotaCounter.Messages:
                var used = counter == QuotaCounter.ApiCalls ? Quota.ApiCalls : Quota.Messages;
                var granted = Grant(needed, limit - used, QuotaBlocks.MaxBlock);
                if (granted == 0)
                {
                    return Refused(now, SecondsToMidnight(now));
                }

                SetDaily(counter, used + granted);
                try
                {
                    await state.WriteStateAsync();
                }
                catch
                {
                    SetDaily(counter, used);
                    throw;
                }

                return new QuotaLease(granted, Quota.Day, 0, Quota.Limits);
            case QuotaCounter.MessageRate:
                RefillRate(now);
                var tokens = Grant(needed, (long)Math.Floor(rateTokens), QuotaBlocks.MaxBlock);
                if (tokens == 0)
                {
                    var perSecond = Math.Max(1, Quota.Limits.MessagesPerSecond);
                    return Refused(now, Quota.Limits.MessagesPerSecond == 0 ? 60 : (int)Math.Ceiling((needed - rateTokens) / perSecond));
                }

                rateTokens -= tokens;
                return new QuotaLease(tokens, Quota.Day, 0, Quota.Limits);
            default:
                var slots = Grant(needed, limit - HeldConnections(), QuotaBlocks.MaxConnectionBlock);
                if (slots == 0)
                {
                    return Refused(now, 1);
                }

                edge.Connections += slots;
                return new QuotaLease(slots, Quota.Day, 0, Quota.Limits);
        }

        QuotaLease Refused(DateTimeOffset at, int retryAfter)
        {
            lastRefusal = at;
            return new QuotaLease(0, Quota.Day, Math.Max(1, retryAfter), Quota.Limits);
        }
    }

    public async Task<QuotaSettled> SettleAsync(string edgeId, QuotaSettlement settlement)
    {
        var now = time.GetUtcNow();
        Touch(edgeId, now).Connections = Math.Max(0, settlement.HeldConnections);
        RollDay();
        if (settlement.Day == Quota.Day && (settlement.UnusedApiCalls > 0 || settlement.UnusedMessages > 0))
        {
            Quota.ApiCalls = Math.Max(0, Quota.ApiCalls - Math.Max(0, settlement.UnusedApiCalls));
            Quota.Messages = Math.Max(0, Quota.Messages - Math.Max(0, settlement.UnusedMessages));
            await state.WriteStateAsync();
        }

        return new QuotaSettled(Quota.Limits, now - lastRefusal < ShortFor, HeldConnections());
    }

    public async Task<QuotaLease> ReserveMediaAsync(string uploadId, long needed, long wanted)
    {
        ArgumentException.ThrowIfNullOrEmpty(uploadId);
        needed = Math.Max(0, needed);
        wanted = Math.Max(needed, wanted);
        var limit = Quota.Limits.MediaBytes;
        if (limit < 0)
        {
            // Unlimited: nothing to count against, so nothing is kept (the upload is charged when it settles).
            return new QuotaLease(wanted, Quota.Day, 0, Quota.Limits);
        }

        var now = time.GetUtcNow();
        var changed = DropExpiredMediaReservations(now);
        var left = limit - Quota.MediaBytes - Quota.MediaReservations.Values.Sum(r => r.Bytes);
        var granted = left >= wanted ? wanted : left >= needed ? left : 0;
        if (granted < needed)
        {
            if (changed)
            {
                await state.WriteStateAsync();
            }

            // Not lastRefusal: edges hold no media blocks to give back.
            return new QuotaLease(0, Quota.Day, 0, Quota.Limits);
        }

        var held = Quota.MediaReservations.GetValueOrDefault(uploadId)?.Bytes ?? 0;
        Quota.MediaReservations[uploadId] = new MediaReservation(held + granted, now + MediaReservationLife);
        await state.WriteStateAsync();
        return new QuotaLease(granted, Quota.Day, 0, Quota.Limits);
    }

    public async Task SettleMediaAsync(string uploadId, long stored)
    {
        ArgumentException.ThrowIfNullOrEmpty(uploadId);
        var changed = Quota.MediaReservations.Remove(uploadId) | DropExpiredMediaReservations(time.GetUtcNow());
        if (stored > 0)
        {
            Quota.MediaBytes += stored;
            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task ReleaseMediaAsync(long bytes)
    {
        if (bytes > 0 && Quota.MediaBytes > 0)
        {
            Quota.MediaBytes = Math.Max(0, Quota.MediaBytes - bytes);
            await state.WriteStateAsync();
        }
    }

    /// <summary>Forgets the reservations of uploads that never settled; true when there were any.</summary>
    private bool DropExpiredMediaReservations(DateTimeOffset now)
    {
        var dropped = false;
        foreach (var (uploadId, reservation) in Quota.MediaReservations)
        {
            if (reservation.Expires <= now)
            {
                dropped |= Quota.MediaReservations.Remove(uploadId);
            }
        }

        return dropped;
    }

    private long Grant(long needed, long left, long maxBlock) =>
        left < needed ? 0 : QuotaBlocks.Of(needed, left, ActiveEdges(), maxBlock);

    private void SetDaily(QuotaCounter counter, long used)
    {
        if (counter == QuotaCounter.ApiCalls)
        {
            Quota.ApiCalls = used;
        }
        else
        {
            Quota.Messages = used;
        }
    }

    /// <summary>A token bucket: the sustained rate refills it up to the burst.</summary>
    private void RefillRate(DateTimeOffset now)
    {
        var burst = Quota.Limits.EffectiveBurst;
        if (rateTokens < 0)
        {
            rateTokens = burst;
        }
        else
        {
            rateTokens = Math.Min(burst, rateTokens + ((now - rateAt).TotalSeconds * Quota.Limits.MessagesPerSecond));
        }

        rateAt = now;
    }

    /// <summary>A new UTC day starts the daily counts from zero; true when it did.</summary>
    private bool RollDay()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).DayNumber;
        if (Quota.Day == today)
        {
            return false;
        }

        Quota.Day = today;
        Quota.ApiCalls = 0;
        Quota.Messages = 0;
        return true;
    }

    private static int SecondsToMidnight(DateTimeOffset now) =>
        (int)Math.Ceiling((now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime).TotalSeconds);

    private EdgeHolding Touch(string edgeId, DateTimeOffset now)
    {
        if (!edges.TryGetValue(edgeId, out var edge))
        {
            edges[edgeId] = edge = new EdgeHolding();
        }

        edge.SeenAt = now;
        return edge;
    }

    private int ActiveEdges()
    {
        var now = time.GetUtcNow();
        var active = 0;
        foreach (var edge in edges.Values)
        {
            active += now - edge.SeenAt < EdgeExpiry ? 1 : 0;
        }

        return active;
    }

    private long HeldConnections()
    {
        var now = time.GetUtcNow();
        long held = 0;
        foreach (var edge in edges.Values)
        {
            held += now - edge.SeenAt < EdgeExpiry ? edge.Connections : 0;
        }

        return held;
    }

    private sealed class EdgeHolding
    {
        public DateTimeOffset SeenAt { get; set; }

        public long Connections { get; set; }
    }
}
