using AppMsg.Directory;
using AppMsg.Edge.Cluster;

namespace AppMsg.Edge.Api;

/// <summary><c>/v1/tenants</c>.</summary>
public static class TenantEndpoints
{
    public sealed record CreateTenantRequest(string? Name, TenantSettings? Settings);

    /// <summary>The operator's change to a tenant: a new name, and/or disabled (true) or enabled (false).</summary>
    public sealed record UpdateTenantRequest(string? Name, bool? Disabled);

    public static IEndpointRouteBuilder MapTenants(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/tenants", async (CreateTenantRequest body, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureOperator();
            var id = Ids.New();
            var tenant = await cluster.GetGrain<ITenantGrain>(id).CreateAsync(body.Name ?? "", body.Settings);
            return Results.Created($"/v1/tenants/{id}", tenant);
        });

        // An extension of the fixed routes (docs/console.md, "The tenant list"): every tenant, for the operator.
        api.MapGet("/v1/tenants", async (string? search, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureOperator();
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0).ListTenantsAsync(Validate.Text(search, "search"), after, Validate.Limit(limit));
            return Results.Ok(new { tenants = page.Items, next = page.Next });
        });

        // An extension too (docs/console.md, "Disabling a tenant"): rename, disable or enable; operator only.
        api.MapPatch("/v1/tenants/{tenantId}", async (string tenantId, UpdateTenantRequest body, Caller caller, IClusterClient cluster, TenantInfoCache tenants) =>
        {
            caller.EnsureOperator();
            var updated = await cluster.GetGrain<ITenantGrain>(Validate.Id(tenantId, "tenant")).UpdateAsync(new TenantUpdate(body.Name, body.Disabled));
            tenants.Forget(tenantId);
            return Results.Ok(updated);
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
