using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary><c>/v1/users</c> and the user lists of a tenant.</summary>
public static class UserEndpoints
{
    public sealed record CreateUserRequest(string? TenantId, string? Username, string? Password, string? DisplayName, string? AvatarUrl);

    public sealed record UpdateUserRequest(string? DisplayName, string? AvatarUrl, UserStatus? Status);

    public sealed record ChangePasswordRequest(string? Password);

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/users", async (CreateUserRequest body, Caller caller, IClusterClient cluster) =>
        {
            var tenantId = Validate.Id(Validate.Required(body.TenantId, "tenantId"), "tenant");
            caller.EnsureCanManage(tenantId, "tenant");
            var id = Ids.New();
            var user = await cluster.GetGrain<IUserGrain>(id).CreateAsync(
                new NewUser(tenantId, body.Username ?? "", body.Password ?? "", body.DisplayName, body.AvatarUrl));
            return Results.Created($"/v1/users/{id}", user);
        });

        api.MapGet("/v1/users/{userId}", async (string userId, Caller caller, IClusterClient cluster) =>
            Results.Ok(await GetVisibleAsync(userId, caller, cluster)));

        api.MapPatch("/v1/users/{userId}", async (string userId, UpdateUserRequest body, Caller caller, IClusterClient cluster) =>
        {
            var user = await GetVisibleAsync(userId, caller, cluster);
            var grain = cluster.GetGrain<IUserGrain>(user.Id);
            if (body.Status is { } status)
            {
                caller.EnsureCanManage(user.TenantId, "user");
                user = await grain.SetStatusAsync(status);
            }

            if (body.DisplayName is not null || body.AvatarUrl is not null)
            {
                user = await grain.UpdateProfileAsync(new UserProfileUpdate(body.DisplayName, body.AvatarUrl));
            }

            return Results.Ok(user);
        });

        api.MapPut("/v1/users/{userId}/password", async (string userId, ChangePasswordRequest body, Caller caller, IClusterClient cluster) =>
        {
            var user = await GetVisibleAsync(userId, caller, cluster);
            await cluster.GetGrain<IUserGrain>(user.Id).ChangePasswordAsync(body.Password ?? "");
            return Results.NoContent();
        });

        api.MapGet("/v1/tenants/{tenantId}/users", async (string tenantId, string? prefix, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureCanManage(Validate.Id(tenantId, "tenant"), "tenant");
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0).ListUsersAsync(tenantId, Validate.Text(prefix, "prefix"), after, Validate.Limit(limit));
            return Results.Ok(new { users = page.Items, next = page.Next });
        });
        return api;
    }

    /// <summary>The user, if the caller may see it: operators all, apps their tenant's, users themselves; 404 otherwise.</summary>
    public static async Task<UserInfo> GetVisibleAsync(string userId, Caller caller, IClusterClient cluster)
    {
        Validate.Id(userId, "user");
        if (caller.Kind == CallerKind.User && caller.UserId != userId)
        {
            throw AppMsgException.NotFound("user");
        }

        var user = await cluster.GetGrain<IUserGrain>(userId).GetAsync() ?? throw AppMsgException.NotFound("user");
        caller.EnsureCanSee(user.TenantId, "user");
        return user;
    }
}
