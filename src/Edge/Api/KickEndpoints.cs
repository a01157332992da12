using AppMsg.Directory;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Api;

/// <summary><c>POST /v1/users/{userId}/kick</c>: ends every session of a user (the console's kick).</summary>
public static class KickEndpoints
{
    public static IEndpointRouteBuilder MapKicks(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/users/{userId}/kick", async (string userId, Caller caller, IClusterClient cluster) =>
        {
            // Another user of the same tenant is not told that this one exists.
            if (caller.Kind == CallerKind.User && caller.UserId != userId)
            {
                throw AppMsgException.NotFound("user");
            }

            var user = await cluster.GetGrain<IUserGrain>(Validate.Id(userId, "user")).GetAsync() ?? throw AppMsgException.NotFound("user");
            caller.EnsureCanManage(user.TenantId, "user");
            // KICK 4: the sessions were ended for the user (as a logout does); the token stays valid, so a device may log in again.
            await cluster.GetGrain<IUserSessionsGrain>(userId).KickAllAsync((byte)KickReason.LoggedOut);
            return Results.NoContent();
        });
        return api;
    }
}
