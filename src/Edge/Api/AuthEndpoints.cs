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
        api.MapPost("/v1/auth/login", async (LoginRequest body, HttpContext context, IClusterClient cluster, EdgeSettings edge) =>
        {
            var tenantId = Validate.Required(body.TenantId, "tenantId");
            var username = Validate.Required(body.Username, "username");
            var password = Validate.Required(body.Password, "password");
            var terminalType = Validate.TerminalType(body.TerminalType);
            var refused = new AppMsgException(ErrorCodes.Unauthorized, "wrong tenant, username or password");

            // Throttled per user name (every attempt counts from its start, so a burst cannot slip through) and per
            // client address (the connection's own: no forwarding header is believed; only failures count, so many
            // users behind one address may log in at once), in grains so every edge counts alike; checked before any
            // password is.
            var userThrottle = cluster.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.ForUser(tenantId, username));
            var addressThrottle = context.Connection.RemoteIpAddress is { } address
                ? cluster.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.ForAddress(address))
                : null;
            var userWait = userThrottle.BeginAttemptAsync();
            var addressWait = addressThrottle?.GetLockoutAsync() ?? Task.FromResult(TimeSpan.Zero);
            var wait = TimeSpan.FromTicks(Math.Max((await userWait).Ticks, (await addressWait).Ticks));
            if (wait > TimeSpan.Zero)
            {
                context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new AppMsgException(ErrorCodes.TooManyAttempts, "too many failed login attempts; retry later");
            }

            var userId = await cluster.GetGrain<ILoginGrain>(0).VerifyAsync(tenantId, username, password);
            if (userId is null)
            {
                if (addressThrottle is not null)
                {
                    await addressThrottle.FailedAsync();
                }

                throw refused;
            }

            await userThrottle.SucceededAsync(reset: true);

            var token = await cluster.GetGrain<IUserGrain>(userId).IssueTokenAsync(terminalType);
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
