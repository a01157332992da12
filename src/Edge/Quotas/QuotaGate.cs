using System.Collections.Concurrent;
using AppMsg.Edge.Api;
using AppMsg.Edge.Cluster;
using AppMsg.Quotas;
using AppMsg.Statistics;

namespace AppMsg.Edge.Quotas;

/// <summary>
/// Enforces tenants' and apps' quotas on this edge without a grain call per request: each owner's limits are
/// kept here (read once, refreshed by <see cref="QuotaSettlementService"/>), and units are taken from the
/// owner's <see cref="IQuotaGrain"/> in blocks and used locally. An owner with no limits costs a dictionary lookup.
/// A tenant's limits count its users' and its apps' use; an app's its own; the operator is not limited.
/// </summary>
public sealed class QuotaGate(IClusterClient cluster, EdgeSettings settings, Statistics.StatsCollector stats)
{
    private readonly ConcurrentDictionary<string, Task<OwnerQuota>> tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<OwnerQuota>> apps = new(StringComparer.Ordinal);

    /// <summary>The owners this edge knows now.</summary>
    public IEnumerable<(string Id, bool IsTenant, OwnerQuota Owner)> Owners
    {
        get
        {
            foreach (var (id, task) in tenants)
            {
                if (task.IsCompletedSuccessfully)
                {
                    yield return (id, true, task.Result);
                }
            }

            foreach (var (id, task) in apps)
            {
                if (task.IsCompletedSuccessfully)
                {
                    yield return (id, false, task.Result);
                }
            }
        }
    }

    /// <summary>Counts one authenticated API request of an app (against the app and its tenant) or a user (its tenant).</summary>
    /// <exception cref="AppMsgException"><c>over_quota</c> with the seconds to wait.</exception>
    public async ValueTask TakeApiCallAsync(Caller caller)
    {
        if (caller.TenantId is null)
        {
            return;
        }

        var tenant = await OwnerAsync(caller.TenantId, isTenant: true);
        var app = caller.AppId is null ? null : await OwnerAsync(caller.AppId, isTenant: false);
        try
        {
            await TakeBothAsync(tenant, app, static o => o.ApiCalls, 1, "API calls per day");
        }
        catch (AppMsgException e) when (e.Code == ErrorCodes.OverQuota)
        {
            stats.Add(caller.TenantId, caller.AppId, StatsCounter.QuotaRefusals);
            throw;
        }
    }

    /// <summary>
    /// Checks a send of <paramref name="targets"/> messages by a tenant's user (no app) or an app against both
    /// quotas, and takes the units; answers the TTL to store them with (a quota's maximum when none was asked).
    /// </summary>
    /// <exception cref="AppMsgException"><c>over_quota</c> (with <c>Retry-After</c> seconds for the rate and daily limits).</exception>
    public async ValueTask<int?> TakeSendAsync(string tenantId, string? appId, int targets, int? ttlSeconds)
    {
        var tenant = await OwnerAsync(tenantId, isTenant: true);
        var app = appId is null ? null : await OwnerAsync(appId, isTenant: false);
        try
        {
            return await TakeSendAsync(tenant, app, targets, ttlSeconds);
        }
        catch (AppMsgException e) when (e.Code == ErrorCodes.OverQuota)
        {
            stats.Add(tenantId, appId, StatsCounter.QuotaRefusals);
            throw;
        }
    }

    private async ValueTask<int?> TakeSendAsync(OwnerQuota tenant, OwnerQuota? app, int targets, int? ttlSeconds)
    {
        CheckRecipients(tenant.Limits, targets);
        var maxTtl = tenant.Limits.MaxTtlSeconds;
        if (app is not null)
        {
            CheckRecipients(app.Limits, targets);
            maxTtl = maxTtl < 0 ? app.Limits.MaxTtlSeconds : app.Limits.MaxTtlSeconds < 0 ? maxTtl : Math.Min(maxTtl, app.Limits.MaxTtlSeconds);
        }

        var ttl = TtlWithin(maxTtl, ttlSeconds);

        await TakeBothAsync(tenant, app, static o => o.Rate, targets, "messages per second");
        try
        {
            await TakeBothAsync(tenant, app, static o => o.Messages, targets, "messages per day");
        }
        catch
        {
            tenant.Rate.GiveBack(targets);
            app?.Rate.GiveBack(targets);
            throw;
        }

        return ttl;
    }

    /// <summary>Puts back what <see cref="TakeSendAsync"/> took for a send that then failed.</summary>
    public void GiveBackSend(string tenantId, string? appId, int targets)
    {
        foreach (var owner in new[] { Known(tenants, tenantId), appId is null ? null : Known(apps, appId) })
        {
            if (owner is not null && !owner.Limits.IsUnlimited)
            {
                owner.Messages.GiveBack(targets);
                owner.Rate.GiveBack(targets);
            }
        }
    }

    /// <summary>Takes a slot of the tenant's connection quota for a new device session; false when it is full.</summary>
    public async ValueTask<bool> TakeConnectionAsync(string tenantId)
    {
        var tenant = await OwnerAsync(tenantId, isTenant: true);
        var now = Environment.TickCount64;
        tenant.UsedAt = now;
        var limit = tenant.Limits.Connections;
        if (tenant.TryTakeConnection(now, unlimited: limit < 0))
        {
            return true;
        }

        await tenant.Calls.WaitAsync();
        try
        {
            if (tenant.TryTakeConnection(now, unlimited: tenant.Limits.Connections < 0))
            {
                return true;
            }

            var lease = await ClusterRetry.RunAsync(() => Grain(tenant).LeaseAsync(settings.EdgeId, QuotaCounter.Connections, 1));
            Refreshed(tenant, lease.Limits);
            if (lease.Granted == 0)
            {
                stats.Add(tenantId, null, StatsCounter.QuotaRefusals);
                return false;
            }

            tenant.AddConnectionSlots(lease.Granted);
            return tenant.TryTakeConnection(now, unlimited: true);
        }
        finally
        {
            tenant.Calls.Release();
        }
    }

    /// <summary>A session that took a slot ended.</summary>
    public void ReleaseConnection(string tenantId) => Known(tenants, tenantId)?.ReleaseConnection();

    /// <summary>Device sessions of the tenant on this edge.</summary>
    public long ConnectionsOf(string tenantId) => Known(tenants, tenantId)?.Connections ?? 0;

    /// <summary>Forgets an owner that has been idle (after its settlement gave back what it held).</summary>
    public void Forget(string id, bool isTenant, OwnerQuota owner)
    {
        var owners = isTenant ? tenants : apps;
        if (owners.TryGetValue(id, out var task) && task.IsCompletedSuccessfully && ReferenceEquals(task.Result, owner))
        {
            owners.TryRemove(new KeyValuePair<string, Task<OwnerQuota>>(id, task));
        }
    }

    /// <summary>Limits read from the grain: a change forgets the refusals remembered under the old ones.</summary>
    public static void Refreshed(OwnerQuota owner, QuotaLimits limits)
    {
        if (owner.Limits != limits)
        {
            owner.Limits = limits;
            owner.ApiCalls.ForgetRefusal();
            owner.Messages.ForgetRefusal();
            owner.Rate.ForgetRefusal();
        }

        owner.RefreshedAt = Environment.TickCount64;
    }

    private IQuotaGrain Grain(OwnerQuota owner) => cluster.GetGrain<IQuotaGrain>(owner.GrainKey);

    private static void CheckRecipients(QuotaLimits limits, int targets)
    {
        if (limits.RecipientsPerMessage >= 0 && targets > limits.RecipientsPerMessage)
        {
            throw AppMsgException.OverQuota($"a message may have at most {limits.RecipientsPerMessage} recipients");
        }
    }

    /// <summary>The TTL asked for, if within <paramref name="maxTtl"/> (-1: no maximum); the maximum when none was asked.</summary>
    private static int? TtlWithin(long maxTtl, int? ttlSeconds)
    {
        if (maxTtl < 0)
        {
            return ttlSeconds;
        }

        if (ttlSeconds > maxTtl)
        {
            throw AppMsgException.OverQuota($"ttlSeconds may be at most {maxTtl}");
        }

        return ttlSeconds ?? (int)Math.Min(maxTtl, int.MaxValue);
    }

    /// <summary>Takes from the app (if any) and the tenant; what one took is put back when the other refuses.</summary>
    private async ValueTask TakeBothAsync(OwnerQuota tenant, OwnerQuota? app, Func<OwnerQuota, QuotaAllowance> counter, long count, string what)
    {
        if (app is not null)
        {
            await TakeAsync(app, counter(app), count, what);
        }

        try
        {
            await TakeAsync(tenant, counter(tenant), count, what);
        }
        catch
        {
            if (app is not null)
            {
                counter(app).GiveBack(count);
            }

            throw;
        }
    }

    private async ValueTask TakeAsync(OwnerQuota owner, QuotaAllowance allowance, long count, string what)
    {
        var now = Environment.TickCount64;
        owner.UsedAt = now;
        if (owner.Limits.Of(allowance.Counter) < 0)
        {
            return;
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow).DayNumber;
        if (allowance.TryTake(count, now, today, out var retryAfter))
        {
            return;
        }

        if (retryAfter == 0)
        {
            retryAfter = await LeaseAsync(owner, allowance, count, today);
            if (retryAfter == 0)
            {
                return;
            }
        }

        throw AppMsgException.OverQuota($"over the quota of {what}", retryAfter);
    }

    /// <summary>Asks the grain for a block; 0 when the units were taken, else the seconds to wait.</summary>
    private async ValueTask<int> LeaseAsync(OwnerQuota owner, QuotaAllowance allowance, long count, int today)
    {
        await owner.Calls.WaitAsync();
        try
        {
            var now = Environment.TickCount64;
            if (allowance.TryTake(count, now, today, out var retryAfter))
            {
                return 0;
            }

            if (retryAfter > 0)
            {
                return retryAfter;
            }

            var missing = allowance.Missing(count);
            var lease = await ClusterRetry.RunAsync(() => Grain(owner).LeaseAsync(settings.EdgeId, allowance.Counter, missing));
            Refreshed(owner, lease.Limits);
            if (lease.Granted == 0)
            {
                allowance.Refused(lease.RetryAfterSeconds, now);
                return lease.RetryAfterSeconds;
            }

            allowance.Granted(lease, count, now);
            return 0;
        }
        finally
        {
            owner.Calls.Release();
        }
    }

    private ValueTask<OwnerQuota> OwnerAsync(string id, bool isTenant)
    {
        var owners = isTenant ? tenants : apps;
        if (owners.TryGetValue(id, out var known) && known.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(known.Result);
        }

        return new ValueTask<OwnerQuota>(LoadAsync(owners, id, isTenant));
    }

    private async Task<OwnerQuota> LoadAsync(ConcurrentDictionary<string, Task<OwnerQuota>> owners, string id, bool isTenant)
    {
        var loading = owners.GetOrAdd(id, static (key, state) => state.Gate.ReadAsync(key, state.IsTenant), (Gate: this, IsTenant: isTenant));
        try
        {
            return await loading;
        }
        catch
        {
            owners.TryRemove(new KeyValuePair<string, Task<OwnerQuota>>(id, loading));
            throw;
        }
    }

    private async Task<OwnerQuota> ReadAsync(string id, bool isTenant)
    {
        var key = isTenant ? QuotaOwners.Tenant(id) : QuotaOwners.App(id);
        var limits = await ClusterRetry.RunAsync(() => cluster.GetGrain<IQuotaGrain>(key).GetLimitsAsync());
        return new OwnerQuota(key, limits, Environment.TickCount64);
    }

    private static OwnerQuota? Known(ConcurrentDictionary<string, Task<OwnerQuota>> owners, string id) =>
        owners.TryGetValue(id, out var task) && task.IsCompletedSuccessfully ? task.Result : null;
}
