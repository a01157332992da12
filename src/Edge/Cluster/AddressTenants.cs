using System.Collections.Concurrent;
using AppMsg.Common;
using AppMsg.Directory;

namespace AppMsg.Edge.Cluster;

/// <summary>
/// Which tenant an address belongs to, for the send and read rules of the HTTP API and of device IM. A user, app, qun
/// or org never changes tenant, so the answer is kept for <see cref="Lifetime"/> (a deleted or dissolved one is refused
/// again within that time; membership is checked apart) and a message costs no directory call; tenants and sessions are
/// asked each time. Bounded: at most <see cref="MaxEntries"/> addresses, all forgotten when full.
/// </summary>
public sealed class AddressTenants(IClusterClient cluster, TimeProvider time)
{
    public const int MaxEntries = 100_000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Address, Known> known = new();

    /// <summary>The address's tenant, or null when it does not exist.</summary>
    public ValueTask<string?> TenantOfAsync(Address address)
    {
        var cacheable = address.Kind is AddressKind.User or AddressKind.App or AddressKind.Qun or AddressKind.Org;
        if (cacheable && known.TryGetValue(address, out var entry) && entry.Until > time.GetUtcNow())
        {
            return ValueTask.FromResult<string?>(entry.TenantId);
        }

        return AskAsync(address, cacheable);
    }

    private async ValueTask<string?> AskAsync(Address address, bool cacheable)
    {
        var tenantId = await TenantOfAddress.ReadAsync(cluster, address);
        if (cacheable && tenantId is not null)
        {
            if (known.Count >= MaxEntries)
            {
                known.Clear();
            }

            known[address] = new Known(tenantId, time.GetUtcNow() + Lifetime);
        }

        return tenantId;
    }

    private readonly record struct Known(string TenantId, DateTimeOffset Until);
}
