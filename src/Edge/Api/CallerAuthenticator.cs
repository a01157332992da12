using System.Security.Cryptography;
using System.Text;
using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary>
/// Turns <c>Authorization: Bearer &lt;credential&gt;</c> into a <see cref="Caller"/>: the admin key, an
/// <c>appId:secret</c> pair, or a user's login token.
/// </summary>
public sealed partial class CallerAuthenticator(IClusterClient cluster, EdgeSettings settings, TenantInfoCache tenants, ILogger<CallerAuthenticator> logger)
{
    private const string Scheme = "Bearer ";

    public async Task<Caller> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            throw new AppMsgException(ErrorCodes.Unauthorized, "an Authorization: Bearer <credential> header is required");
        }

        var credential = header[Scheme.Length..].Trim();
        if (settings.AdminKey is { Length: > 0 } adminKey && FixedTimeEquals(credential, adminKey))
        {
            return new Caller(CallerKind.Operator, TenantId: null);
        }

        var caller = credential.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            ? await AuthenticateAppAsync(credential[..colon], credential[(colon + 1)..])
            : await AuthenticateUserAsync(credential);
        if (caller is null)
        {
            LogRejected(logger, context.Request.Path);
            throw new AppMsgException(ErrorCodes.Unauthorized, "the credential is not valid");
        }

        // The apps and users of a disabled tenant are refused (their credentials stay valid for when it is enabled).
        await tenants.EnsureEnabledAsync(caller.TenantId!);
        return caller;
    }

    /// <summary>The user a login token belongs to, or null.</summary>
    public async Task<TokenPrincipal?> ValidateTokenAsync(string token)
    {
        if (token.Length is 0 or > 128)
        {
            return null;
        }

        return await cluster.GetGrain<IAuthTokenGrain>(TokenHash(token)).ValidateAsync();
    }

    /// <summary>The key of a token's grain: lower-case hex SHA-256.</summary>
    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<Caller?> AuthenticateAppAsync(string appId, string secret)
    {
        if (!Ids.IsValid(appId))
        {
            return null;
        }

        var app = cluster.GetGrain<IAppGrain>(appId);
        if (!await app.VerifySecretAsync(secret))
        {
            return null;
        }

        var info = await app.GetAsync();
        return info is null ? null : new Caller(CallerKind.App, info.TenantId, AppId: appId);
    }

    private async Task<Caller?> AuthenticateUserAsync(string token)
    {
        var principal = await ValidateTokenAsync(token);
        return principal is null ? null : new Caller(CallerKind.User, principal.TenantId, UserId: principal.UserId);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a credential on {Path}")]
    private static partial void LogRejected(ILogger logger, PathString path);
}
