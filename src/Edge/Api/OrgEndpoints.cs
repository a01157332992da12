using System.Text.Json;
using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary>
/// <c>/v1/orgs</c> and a tenant's org tree: operators and the apps of the org's tenant. Another
/// tenant's org is a 404; a user of the tenant gets 403 (the tree is managed by backends, as the
/// tenant's user list is).
/// </summary>
public static class OrgEndpoints
{
    public sealed record CreateOrgRequest(string? Name, string? ParentId, int? SortOrder);

    public static IEndpointRouteBuilder MapOrgs(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/tenants/{tenantId}/orgs", async (string tenantId, CreateOrgRequest body, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureCanManage(Validate.Id(tenantId, "tenant"), "tenant");
            var id = Ids.New();
            var org = await cluster.GetGrain<IOrgGrain>(id).CreateAsync(new NewOrg(tenantId, body.Name ?? "", body.ParentId, body.SortOrder ?? 0));
            return Results.Created($"/v1/orgs/{id}", org);
        });

        api.MapGet("/v1/tenants/{tenantId}/orgs", async (string tenantId, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureCanManage(Validate.Id(tenantId, "tenant"), "tenant");
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0).ListRootOrgsAsync(tenantId, after, Validate.Limit(limit));
            return Results.Ok(new { orgs = page.Items, next = page.Next });
        });

        api.MapGet("/v1/orgs/{orgId}", async (string orgId, Caller caller, IClusterClient cluster) =>
            Results.Ok(await GetManagedAsync(orgId, caller, cluster)));

        api.MapPatch("/v1/orgs/{orgId}", async (string orgId, JsonElement body, Caller caller, IClusterClient cluster) =>
        {
            var org = await GetManagedAsync(orgId, caller, cluster);
            var update = ReadUpdate(body);
            var grain = cluster.GetGrain<IOrgGrain>(org.Id);
            if (update.Move)
            {
                org = await grain.MoveAsync(update.ParentId);
            }

            if (update.Name is not null)
            {
                org = await grain.RenameAsync(update.Name);
            }

            if (update.SortOrder is { } sortOrder)
            {
                org = await grain.SetSortOrderAsync(sortOrder);
            }

            return Results.Ok(org);
        });

        api.MapDelete("/v1/orgs/{orgId}", async (string orgId, Caller caller, IClusterClient cluster) =>
        {
            var org = await GetManagedAsync(orgId, caller, cluster);
            await cluster.GetGrain<IOrgGrain>(org.Id).DeleteAsync();
            return Results.NoContent();
        });

        api.MapGet("/v1/orgs/{orgId}/children", async (string orgId, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            var org = await GetManagedAsync(orgId, caller, cluster);
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0).ListOrgChildrenAsync(org.Id, after, Validate.Limit(limit));
            return Results.Ok(new { orgs = page.Items, next = page.Next });
        });

        api.MapGet("/v1/orgs/{orgId}/members", async (string orgId, bool? includeSubOrgs, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            var org = await GetManagedAsync(orgId, caller, cluster);
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0)
                .ListOrgMembersAsync(org.Id, includeSubOrgs ?? false, after, Validate.Limit(limit));
            return Results.Ok(new { members = page.Items, next = page.Next });
        });

        api.MapPut("/v1/orgs/{orgId}/members/{userId}", async (string orgId, string userId, Caller caller, IClusterClient cluster) =>
        {
            var org = await GetManagedAsync(orgId, caller, cluster);
            await cluster.GetGrain<IOrgGrain>(org.Id).AddMemberAsync(Validate.Id(userId, "user"));
            return Results.NoContent();
        });

        api.MapDelete("/v1/orgs/{orgId}/members/{userId}", async (string orgId, string userId, Caller caller, IClusterClient cluster) =>
        {
            var org = await GetManagedAsync(orgId, caller, cluster);
            await cluster.GetGrain<IOrgGrain>(org.Id).RemoveMemberAsync(Validate.Id(userId, "member"));
            return Results.NoContent();
        });
        return api;
    }

    /// <summary>The org, if the caller manages its tenant: 404 outside the caller's tenant, 403 for a user inside it.</summary>
    public static async Task<OrgInfo> GetManagedAsync(string orgId, Caller caller, IClusterClient cluster)
    {
        Validate.Id(orgId, "org");
        var org = await cluster.GetGrain<IOrgGrain>(orgId).GetAsync() ?? throw AppMsgException.NotFound("org");
        caller.EnsureCanManage(org.TenantId, "org");
        return org;
    }

    private sealed record OrgUpdate(string? Name, int? SortOrder, bool Move, string? ParentId);

    /// <summary>
    /// Reads a PATCH body by hand, because <c>"parentId": null</c> (move to the root) and no
    /// <c>parentId</c> (stay) must differ.
    /// </summary>
    private static OrgUpdate ReadUpdate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw AppMsgException.Invalid("body", "the body must be a JSON object");
        }

        string? name = null;
        int? sortOrder = null;
        var move = false;
        string? parentId = null;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "name":
                    name = value.ValueKind == JsonValueKind.String ? value.GetString() : throw AppMsgException.Invalid("name", "name must be a string");
                    break;
                case "sortOrder":
                    sortOrder = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var order)
                        ? order
                        : throw AppMsgException.Invalid("sortOrder", "sortOrder must be a 32-bit integer");
                    break;
                case "parentId":
                    move = true;
                    parentId = value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => value.GetString(),
                        _ => throw AppMsgException.Invalid("parentId", "parentId must be an org id or null (the root)"),
                    };
                    break;
            }
        }

        return new OrgUpdate(name, sortOrder, move, parentId);
    }
}
