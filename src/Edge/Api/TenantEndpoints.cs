using AppMsg.Directory;
using AppMsg.Edge.Cluster;

namespace AppMsg.Edge.Api;

/// <summary><c>/v1/tenants</c>.</summary>
public static class TenantEndpoints
{
    public sealed record CreateTenantRequest(string? Name, TenantSettings? Settings);

    public static IEndpointRouteBuilder MapTenants(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/tenants", async (CreateTenantRequest body, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureOperator();
            var id = Ids.New();
            var tenant = await cluster.GetGrain<ITenantGrain>(id).CreateAsync(body.Name ?? "", body.Settings);
            return Results.Created($"/v1/tenants/{id}", tenant);
        });

        api.MapGet("/v1/tenants/{tenantId}", async (string tenantId, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureCanSee(Validate.Id(tenantId, "tenant"), "tenant");
            var tenant = await cluster.GetGrain<ITenantGrain>(tenantId).GetAsync() ?? throw AppMsgException.NotFound("tenant");
            return Results.Ok(tenant);
        });

        api.MapPut("/v1/tenants/{tenantId}/settings", async (string tenantId, TenantSettings body, Caller caller, IClusterClient cluster, TenantInfoCache tenants) =>
        {
            caller.EnsureCanManage(Validate.Id(tenantId, "tenant"), "tenant");
            var updated = await cluster.GetGrain<ITenantGrain>(tenantId).UpdateSettingsAsync(body);
            tenants.Forget(tenantId);
            return Results.Ok(updated);
        });
        return api;
    }
}
