using System.Collections.Concurrent;

namespace AppMsg.Directory;

/// <summary>
/// Tenants' settings as REGISTER needs them (login policy, anonymous sessions) and whether they are disabled, read from
/// the tenant's grain at most once per <see cref="Freshness"/> per process (edges for anonymous sessions, API calls and
/// signed media URLs; silos for users' REGISTERs, appends, callbacks, webhooks and notifications): a reconnect storm of a tenant's devices makes one call, not one per device,
/// to that tenant's single activation. A settings change applies to REGISTERs within that time; disabling or enabling a
/// tenant is pushed to every live edge at once (<see cref="AppMsg.Sessions.IEdgeObserver.OnTenantChangedAsync"/>).
/// Bounded: at most <see cref="MaxEntries"/> tenants, all forgotten when full.
/// </summary>
public sealed class TenantInfoCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>The most tenants kept at once.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>How long a tenant's settings are used before they are read again.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Known> known = new(StringComparer.Ordinal);

    /// <summary>The tenant, or null when it does not exist (never kept: a tenant created a moment later is seen at once).</summary>
    public ValueTask<TenantInfo?> GetAsync(string tenantId) =>
        known.TryGetValue(tenantId, out var entry) && entry.Until > time.GetUtcNow() ? ValueTask.FromResult<TenantInfo?>(entry.Tenant) : ReadAsync(tenantId);

    /// <summary>Throws <c>tenant_disabled</c> when the tenant exists and is disabled; one dictionary lookup while it is fresh.</summary>
    public async ValueTask EnsureEnabledAsync(string tenantId)
    {
        if ((await GetAsync(tenantId))?.Disabled == true)
        {
            throw AppMsgException.TenantDisabled();
        }
    }

    /// <summary>
    /// Throws <c>tenant_disabled</c> when the tenant <paramref name="address"/> belongs to is disabled: one call to the
    /// address's owner (callers that see the same address again keep its tenant and use the overload above).
    /// </summary>
    public async ValueTask EnsureEnabledAsync(AppMsg.Common.Address address)
    {
        if (await TenantOfAddress.ReadAsync(grains, address) is { } tenantId)
        {
            await EnsureEnabledAsync(tenantId);
        }
    }

    /// <summary>Drops what this process knows of the tenant (its settings changed through it): the next REGISTER reads them.</summary>
    public void Forget(string tenantId) => known.TryRemove(tenantId, out _);

    private async ValueTask<TenantInfo?> ReadAsync(string tenantId)
    {
        var tenant = await grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
        if (tenant is not null)
        {
            if (known.Count >= MaxEntries)
            {
                known.Clear();
            }

            known[tenantId] = new Known(tenant, time.GetUtcNow() + Freshness);
        }

        return tenant;
    }

    private readonly record struct Known(TenantInfo Tenant, DateTimeOffset Until);
}
