using System.Globalization;
using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary>
/// <c>/v1/apps/{appId}/versions</c>: the client versions an app publishes, and the update check of its
/// devices. Every caller of the app's tenant reads them; only the app itself and the operator change
/// them. Callers of other tenants get 404.
/// </summary>
public static class ClientVersionEndpoints
{
    public sealed record PublishVersionRequest(int? TerminalType, int? VersionCode, string? VersionName, string? Description, string? DownloadUrl);

    public static IEndpointRouteBuilder MapClientVersions(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/apps/{appId}/versions", async (string appId, PublishVersionRequest body, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetVisibleAsync(appId, caller, cluster);
            EnsurePublisher(app, caller);
            var terminalType = Validate.TerminalType(body.TerminalType);
            var versionCode = body.VersionCode ?? throw AppMsgException.Invalid("versionCode", "versionCode is required");
            var version = await cluster.GetGrain<IClientVersionsGrain>(app.Id).PublishAsync(
                new NewClientVersion(terminalType, versionCode, body.VersionName ?? "", body.DownloadUrl ?? "", body.Description));
            return Results.Created($"/v1/apps/{app.Id}/versions/{version.TerminalType}/{version.VersionCode}", version);
        });

        api.MapGet("/v1/apps/{appId}/versions", async (string appId, string? terminalType, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetVisibleAsync(appId, caller, cluster);
            int? only = terminalType is null ? null : Validate.TerminalType(Integer(terminalType, "terminalType"));
            return Results.Ok(new { versions = await cluster.GetGrain<IClientVersionsGrain>(app.Id).ListAsync(only) });
        });

        api.MapGet("/v1/apps/{appId}/versions/latest", async (string appId, string? terminalType, string? versionCode, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetVisibleAsync(appId, caller, cluster);
            var type = Validate.TerminalType(Integer(terminalType, "terminalType"));
            var code = Integer(versionCode, "versionCode") ?? throw AppMsgException.Invalid("versionCode", "versionCode is required");
            return Results.Ok(await cluster.GetGrain<IClientVersionsGrain>(app.Id).CheckUpdateAsync(type, code));
        });

        api.MapDelete("/v1/apps/{appId}/versions/{terminalType}/{versionCode}", async (string appId, string terminalType, string versionCode, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetVisibleAsync(appId, caller, cluster);
            EnsurePublisher(app, caller);
            var type = Validate.TerminalType(Integer(terminalType, "terminalType"));
            var code = Integer(versionCode, "versionCode") ?? throw AppMsgException.NotFound("version");
            return await cluster.GetGrain<IClientVersionsGrain>(app.Id).DeleteAsync(type, code)
                ? Results.NoContent()
                : throw AppMsgException.NotFound("version");
        });
        return api;
    }

    /// <summary>The app, if the caller belongs to its tenant (or is the operator); 404 otherwise.</summary>
    private static async Task<AppInfo> GetVisibleAsync(string appId, Caller caller, IClusterClient cluster)
    {
        Validate.Id(appId, "app");
        var app = await cluster.GetGrain<IAppGrain>(appId).GetAsync() ?? throw AppMsgException.NotFound("app");
        caller.EnsureCanSee(app.TenantId, "app");
        return app;
    }

    private static void EnsurePublisher(AppInfo app, Caller caller)
    {
        if (!caller.IsOperator && !(caller.Kind == CallerKind.App && caller.AppId == app.Id))
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "only the app itself or the operator may change its client versions");
        }
    }

    /// <summary>An optional integer from the query or the path; anything else is a validation failure on the field.</summary>
    private static int? Integer(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw AppMsgException.Invalid(field, $"{field} must be an integer");
    }
}
