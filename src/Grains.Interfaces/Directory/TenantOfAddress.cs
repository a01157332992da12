using AppMsg.Common;
using AppMsg.Sessions;

namespace AppMsg.Directory;

/// <summary>Which tenant an address belongs to, read from its owner's grain (callers keep the answer: it never changes).</summary>
public static class TenantOfAddress
{
    /// <summary>The tenant of a user, qun, org, tenant, app or session address; null when that owner does not exist.</summary>
    public static async ValueTask<string?> ReadAsync(IGrainFactory grains, Address address) => address.Kind switch
    {
        AddressKind.User => (await grains.GetGrain<IUserGrain>(address.Id).GetAsync())?.TenantId,
        AddressKind.Qun => (await grains.GetGrain<IQunGrain>(address.Id).GetAsync())?.TenantId,
        AddressKind.Org => (await grains.GetGrain<IOrgGrain>(address.Id).GetAsync())?.TenantId,
        AddressKind.Tenant => (await grains.GetGrain<ITenantGrain>(address.Id).GetAsync())?.Id,
        AddressKind.App => (await grains.GetGrain<IAppGrain>(address.Id).GetAsync())?.TenantId,
        AddressKind.Session => (await grains.GetGrain<ISessionGrain>(address.Id).GetAsync())?.TenantId,
        _ => null,
    };
}
