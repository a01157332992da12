using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary>
/// <c>/v1/users/{userId}/mutes</c>: the senders a user does not want to hear from. The user itself, the
/// operator and apps of the user's tenant reach it; everyone else gets 404.
/// </summary>
public static class MuteEndpoints
{
    public static IEndpointRouteBuilder MapMutes(this IEndpointRouteBuilder api)
    {
        api.MapPut("/v1/users/{userId}/mutes/{sender}", async (string userId, string sender, Caller caller, IClusterClient cluster) =>
        {
            var owner = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            await cluster.GetGrain<IUserGrain>(owner.Id).SetMutedAsync(sender, muted: true);
            return Results.NoContent();
        });

        api.MapDelete("/v1/users/{userId}/mutes/{sender}", async (string userId, string sender, Caller caller, IClusterClient cluster) =>
        {
            var owner = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            await cluster.GetGrain<IUserGrain>(owner.Id).SetMutedAsync(sender, muted: false);
            return Results.NoContent();
        });

        api.MapGet("/v1/users/{userId}/mutes", async (string userId, Caller caller, IClusterClient cluster) =>
        {
            var owner = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            return Results.Ok(new { muted = await cluster.GetGrain<IUserGrain>(owner.Id).GetMutedAsync() });
        });
        return api;
    }
}
