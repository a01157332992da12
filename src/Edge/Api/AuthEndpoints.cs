using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary><c>/v1/auth</c>: login and logout of devices and users.</summary>
public static class AuthEndpoints
{
    public sealed record LoginRequest(string? TenantId, string? Username, string? Password, int? TerminalType);

    /// <summary>This edge's endpoints; <paramref name="TcpTls"/> and <paramref name="Wss"/> are null when it serves no TLS.</summary>
    public sealed record EdgeAddresses(string Tcp, string Ws, string? TcpTls, string? Wss);

    public sealed record LoginResponse(string UserId, string Token, DateTimeOffset ExpiresAt, EdgeAddresses Edge);

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/auth/login", async (LoginRequest body, IClusterClient cluster, EdgeSettings edge) =>
        {
            var tenantId = Validate.Required(body.TenantId, "tenantId");
            var username = Validate.Required(body.Username, "username");
            var password = Validate.Required(body.Password, "password");
            var terminalType = Validate.TerminalType(body.TerminalType);
            var refused = new AppMsgException(ErrorCodes.Unauthorized, "wrong tenant, username or password");
            if (!Ids.IsValid(tenantId))
            {
                throw refused;
            }

            var userId = await cluster.GetGrain<IDirectoryQueryGrain>(0).FindUserIdAsync(tenantId, username) ?? throw refused;
            var user = cluster.GetGrain<IUserGrain>(userId);
            if (!await user.VerifyPasswordAsync(password))
            {
                throw refused;
            }

            var token = await user.IssueTokenAsync(terminalType);
            return Results.Ok(new LoginResponse(userId, token.Token, token.ExpiresAt,
                new EdgeAddresses($"{edge.PublicHost}:{edge.TcpPort}", $"ws://{edge.PublicHost}:{edge.HttpPort}/ws",
                    edge.PublicTcpTlsAddress, edge.PublicSecureWebSocketUrl)));
        });

        api.MapPost("/v1/auth/logout", async (HttpContext context, Caller caller, IClusterClient cluster) =>
        {
            if (caller.Kind != CallerKind.User)
            {
                throw new AppMsgException(ErrorCodes.Forbidden, "logout is for users (a login token)");
            }

            var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
            await cluster.GetGrain<IUserGrain>(caller.UserId!).RevokeTokenAsync(token);
            return Results.NoContent();
        });
        return api;
    }
}
