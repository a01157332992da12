using AppMsg.Directory;

namespace AppMsg.Grains.Directory;

/// <summary>The check every tenant-scoped record makes at creation.</summary>
internal static class TenantChecks
{
    /// <summary>Throws <c>not_found</c> unless the tenant exists.</summary>
    public static async Task EnsureExistsAsync(IGrainFactory grains, string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() is null)
        {
            throw AppMsgException.NotFound("tenant");
        }
    }
}
