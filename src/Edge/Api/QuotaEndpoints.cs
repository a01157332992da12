using AppMsg.Directory;
using AppMsg.Quotas;

namespace AppMsg.Edge.Api;

/// <summary><c>PUT/GET /v1/tenants/{tenantId}/quotas</c> and <c>PUT/GET /v1/apps/{appId}/quotas</c>.</summary>
public static class QuotaEndpoints
{
    /// <summary>The limits as a body: -1 is unlimited, and a field left out is unlimited too.</summary>
    public sealed record QuotaBody(
        long? ApiCallsPerDay, long? MessagesPerDay, long? MessagesPerSecond, long? MessagesBurst,
        long? RecipientsPerMessage, long? MaxTtlSeconds, long? Connections, long? MediaBytes)
    {
        public QuotaLimits ToLimits() => new(
            ApiCallsPerDay ?? QuotaLimits.Unlimited, MessagesPerDay ?? QuotaLimits.Unlimited, MessagesPerSecond ?? QuotaLimits.Unlimited,
            MessagesBurst ?? QuotaLimits.Unlimited, RecipientsPerMessage ?? QuotaLimits.Unlimited, MaxTtlSeconds ?? QuotaLimits.Unlimited,
            Connections ?? QuotaLimits.Unlimited, MediaBytes ?? QuotaLimits.Unlimited);
    }

    public static IEndpointRouteBuilder MapQuotas(this IEndpointRouteBuilder api)
    {
        api.MapPut("/v1/tenants/{tenantId}/quotas", async (string tenantId, QuotaBody body, Caller caller, IClusterClient cluster) =>
        {
            await VisibleTenantAsync(tenantId, caller, cluster);
            caller.EnsureOperator();
            await SetAsync(cluster, QuotaOwners.Tenant(tenantId), body);
            return Results.NoContent();
        });

        api.MapGet("/v1/tenants/{tenantId}/quotas", async (string tenantId, Caller caller, IClusterClient cluster) =>
        {
            await VisibleTenantAsync(tenantId, caller, cluster);
            caller.EnsureCanManage(tenantId, "tenant's quotas");
            return Results.Ok(await cluster.GetGrain<IQuotaGrain>(QuotaOwners.Tenant(tenantId)).GetStatusAsync());
        });

        api.MapPut("/v1/apps/{appId}/quotas", async (string appId, QuotaBody body, Caller caller, IClusterClient cluster) =>
        {
            await VisibleAppAsync(appId, caller, cluster);
            caller.EnsureOperator();
            await SetAsync(cluster, QuotaOwners.App(appId), body);
            return Results.NoContent();
        });

        api.MapGet("/v1/apps/{appId}/quotas", async (string appId, Caller caller, IClusterClient cluster) =>
        {
            await VisibleAppAsync(appId, caller, cluster);
            return Results.Ok(await cluster.GetGrain<IQuotaGrain>(QuotaOwners.App(appId)).GetStatusAsync());
        });
        return api;
    }

    private static Task SetAsync(IClusterClient cluster, string owner, QuotaBody? body)
    {
        var limits = (body ?? throw AppMsgException.Invalid("body", "a JSON object of limits is required")).ToLimits();
        limits.Validate();
        return cluster.GetGrain<IQuotaGrain>(owner).SetLimitsAsync(limits);
    }

    /// <summary>The tenant exists and the caller is of it (or the operator): 404 otherwise.</summary>
    private static async Task VisibleTenantAsync(string tenantId, Caller caller, IClusterClient cluster)
    {
        caller.EnsureCanSee(Validate.Id(tenantId, "tenant"), "tenant");
        _ = await cluster.GetGrain<ITenantGrain>(tenantId).GetAsync() ?? throw AppMsgException.NotFound("tenant");
    }

    /// <summary>The app exists and the caller is the operator or the app itself: 404 otherwise.</summary>
    private static async Task VisibleAppAsync(string appId, Caller caller, IClusterClient cluster)
    {
        Validate.Id(appId, "app");
        if (caller.Kind == CallerKind.User || (caller.Kind == CallerKind.App && caller.AppId != appId))
        {
            throw AppMsgException.NotFound("app");
        }

        _ = await cluster.GetGrain<IAppGrain>(appId).GetAsync() ?? throw AppMsgException.NotFound("app");
    }
}
