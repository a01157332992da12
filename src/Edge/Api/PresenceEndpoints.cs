using AppMsg.Directory;
using AppMsg.Sessions;

namespace AppMsg.Edge.Api;

/// <summary><c>GET /v1/users/{userId}/presence</c>: the user's live sessions.</summary>
public static class PresenceEndpoints
{
    public sealed record PresenceSession(string SessionId, int TerminalType, string EdgeId, DateTimeOffset Since);

    public sealed record Presence(string UserId, IReadOnlyList<PresenceSession> Sessions);

    public static IEndpointRouteBuilder MapPresence(this IEndpointRouteBuilder api)
    {
        // The user itself, its tenant's apps and the operator; 404 for everyone else, so ids cannot be probed.
        api.MapGet("/v1/users/{userId}/presence", async (string userId, Caller caller, IClusterClient cluster) =>
        {
            if (!Ids.IsValid(userId) || (caller.Kind == CallerKind.User && caller.UserId != userId))
            {
                throw AppMsgException.NotFound("user");
            }

            var user = await cluster.GetGrain<IUserGrain>(userId).GetAsync() ?? throw AppMsgException.NotFound("user");
            caller.EnsureCanSee(user.TenantId, "user");
            var sessions = await cluster.GetGrain<IUserSessionsGrain>(userId).GetSessionsAsync();
            return Results.Ok(new Presence(userId, [.. sessions.Select(s => new PresenceSession(s.SessionId, s.TerminalType, s.EdgeId, s.Since))]));
        });
        return api;
    }
}
