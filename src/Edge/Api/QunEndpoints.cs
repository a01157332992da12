using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary>
/// <c>/v1/quns</c> and a user's quns. Operators reach every qun, apps the quns of their tenant, users
/// the quns they belong to: any other qun is a 404, whatever its id. What a member may change depends
/// on its role (403 otherwise); the rules live in the qun's grain, which gets the acting user.
/// </summary>
public static class QunEndpoints
{
    public sealed record CreateQunRequest(string? TenantId, string? Name, string? OwnerId, List<string>? Members, int? MaxMembers, string? Topic);

    public sealed record UpdateQunRequest(string? Name, string? Topic, int? MaxMembers);

    public sealed record AddMembersRequest(List<string>? UserIds);

    public sealed record SetRoleRequest(QunRole? Role);

    public sealed record TransferRequest(string? UserId);

    public static IEndpointRouteBuilder MapQuns(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/quns", async (CreateQunRequest body, Caller caller, IClusterClient cluster) =>
        {
            string tenantId;
            string ownerId;
            if (caller.Kind == CallerKind.User)
            {
                // A user creates quns of its own tenant, and owns them.
                tenantId = body.TenantId ?? caller.TenantId!;
                caller.EnsureCanSee(Validate.Id(tenantId, "tenant"), "tenant");
                if (body.OwnerId is not null && body.OwnerId != caller.UserId)
                {
                    throw new AppMsgException(ErrorCodes.Forbidden, "a user creates quns it owns itself; leave ownerId out");
                }

                if (body.MaxMembers is not null)
                {
                    throw new AppMsgException(ErrorCodes.Forbidden, "only apps and the operator set maxMembers");
                }

                ownerId = caller.UserId!;
            }
            else
            {
                tenantId = Validate.Id(Validate.Required(body.TenantId, "tenantId"), "tenant");
                caller.EnsureCanManage(tenantId, "tenant");
                ownerId = Validate.Required(body.OwnerId, "ownerId");
            }

            var id = Ids.New();
            var qun = await cluster.GetGrain<IQunGrain>(id).CreateAsync(
                new NewQun(tenantId, body.Name ?? "", ownerId, body.Members, body.MaxMembers, body.Topic));
            return Results.Created($"/v1/quns/{id}", qun);
        });

        api.MapGet("/v1/quns/{qunId}", async (string qunId, Caller caller, IClusterClient cluster) =>
            Results.Ok(await GetVisibleAsync(qunId, caller, cluster)));

        api.MapPatch("/v1/quns/{qunId}", async (string qunId, UpdateQunRequest body, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            var grain = cluster.GetGrain<IQunGrain>(qun.Id);
            if (body.MaxMembers is { } maxMembers)
            {
                if (caller.Kind == CallerKind.User)
                {
                    throw new AppMsgException(ErrorCodes.Forbidden, "only apps and the operator change maxMembers");
                }

                qun = await grain.SetMaxMembersAsync(maxMembers);
            }

            if (body.Name is not null)
            {
                qun = await grain.RenameAsync(Actor(caller), body.Name);
            }

            if (body.Topic is not null)
            {
                qun = await grain.SetTopicAsync(Actor(caller), body.Topic);
            }

            return Results.Ok(qun);
        });

        api.MapDelete("/v1/quns/{qunId}", async (string qunId, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            await cluster.GetGrain<IQunGrain>(qun.Id).DissolveAsync(Actor(caller));
            return Results.NoContent();
        });

        api.MapGet("/v1/quns/{qunId}/members", async (string qunId, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0).ListQunMembersAsync(qun.Id, after, Validate.Limit(limit));
            return Results.Ok(new { members = page.Items, next = page.Next });
        });

        api.MapPost("/v1/quns/{qunId}/members", async (string qunId, AddMembersRequest body, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            if (body.UserIds is null || body.UserIds.Count == 0 || body.UserIds.Count > QunLimits.MaxMembersPerCall)
            {
                throw AppMsgException.Invalid("userIds", $"userIds must list 1 to {QunLimits.MaxMembersPerCall} users; add more in further calls");
            }

            await cluster.GetGrain<IQunGrain>(qun.Id).AddMembersAsync(Actor(caller), body.UserIds);
            return Results.NoContent();
        });

        api.MapPut("/v1/quns/{qunId}/members/{userId}", async (string qunId, string userId, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            var grain = cluster.GetGrain<IQunGrain>(qun.Id);
            // Checked before the user is looked up, so a plain member learns nothing about other users.
            await EnsureCanAddAsync(grain, caller);
            await EnsureUserOfTenantAsync(userId, qun.TenantId, cluster);
            await grain.AddMembersAsync(Actor(caller), [userId]);
            return Results.NoContent();
        });

        api.MapDelete("/v1/quns/{qunId}/members/{userId}", async (string qunId, string userId, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            await cluster.GetGrain<IQunGrain>(qun.Id).RemoveMemberAsync(Actor(caller), Validate.Id(userId, "member"));
            return Results.NoContent();
        });

        api.MapPut("/v1/quns/{qunId}/members/{userId}/role", async (string qunId, string userId, SetRoleRequest body, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            var role = body.Role ?? throw AppMsgException.Invalid("role", "role is required: admin or member");
            await cluster.GetGrain<IQunGrain>(qun.Id).SetRoleAsync(Actor(caller), Validate.Id(userId, "member"), role);
            return Results.NoContent();
        });

        api.MapPost("/v1/quns/{qunId}/owner", async (string qunId, TransferRequest body, Caller caller, IClusterClient cluster) =>
        {
            var qun = await GetVisibleAsync(qunId, caller, cluster);
            var newOwnerId = Validate.Required(body.UserId, "userId");
            return Results.Ok(await cluster.GetGrain<IQunGrain>(qun.Id).TransferOwnershipAsync(Actor(caller), newOwnerId));
        });

        api.MapGet("/v1/users/{userId}/quns", async (string userId, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            var user = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0).ListUserQunsAsync(user.Id, after, Validate.Limit(limit));
            return Results.Ok(new { quns = page.Items, next = page.Next });
        });
        return api;
    }

    /// <summary>The qun, if the caller may see it: operators all, apps their tenant's, users the quns they belong to; 404 otherwise.</summary>
    public static async Task<QunInfo> GetVisibleAsync(string qunId, Caller caller, IClusterClient cluster)
    {
        Validate.Id(qunId, "qun");
        var grain = cluster.GetGrain<IQunGrain>(qunId);
        var qun = await grain.GetAsync() ?? throw AppMsgException.NotFound("qun");
        caller.EnsureCanSee(qun.TenantId, "qun");
        if (caller.Kind == CallerKind.User && !await grain.IsMemberAsync(caller.UserId!))
        {
            throw AppMsgException.NotFound("qun");
        }

        return qun;
    }

    /// <summary>The acting user the grain checks; null for apps and the operator, whose reach <see cref="GetVisibleAsync"/> checked.</summary>
    private static string? Actor(Caller caller) => caller.Kind == CallerKind.User ? caller.UserId : null;

    private static async Task EnsureCanAddAsync(IQunGrain grain, Caller caller)
    {
        if (caller.Kind == CallerKind.User && await grain.GetMemberRoleAsync(caller.UserId!) is not (QunRole.Owner or QunRole.Admin))
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "only the owner and admins may add members");
        }
    }

    /// <summary>A user in the URL must be a user of the qun's tenant: 404 otherwise, like any id outside the caller's reach.</summary>
    private static async Task EnsureUserOfTenantAsync(string userId, string tenantId, IClusterClient cluster)
    {
        Validate.Id(userId, "user");
        var user = await cluster.GetGrain<IUserGrain>(userId).GetAsync();
        if (user is null || user.TenantId != tenantId)
        {
            throw AppMsgException.NotFound("user");
        }
    }
}
