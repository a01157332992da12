namespace AppMsg.Quotas;

/// <summary>The keys of <see cref="IQuotaGrain"/>: one per tenant and one per app.</summary>
public static class QuotaOwners
{
    /// <summary>The quota grain key of a tenant.</summary>
    public static string Tenant(string tenantId) => "tenant-" + tenantId;

    /// <summary>The quota grain key of an app.</summary>
    public static string App(string appId) => "app-" + appId;
}
