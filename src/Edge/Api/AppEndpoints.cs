using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary><c>/v1/apps</c>.</summary>
public static class AppEndpoints
{
    public sealed record CreateAppRequest(string? TenantId, string? Name, string? WebhookUrl);

    public sealed record UpdateAppRequest(string? Name, string? WebhookUrl, AppMsg.Notifications.PushTemplate? PushTemplate = null);

    public sealed record AppCreated(string Id, string Secret, string TenantId, string Name, string? WebhookUrl);

    public static IEndpointRouteBuilder MapApps(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/apps", async (CreateAppRequest body, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureOperator();
            var tenantId = Validate.Id(Validate.Required(body.TenantId, "tenantId"), "tenant");
            var id = Ids.New();
            var created = await cluster.GetGrain<IAppGrain>(id).CreateAsync(new NewApp(tenantId, body.Name ?? "", body.WebhookUrl));
            return Results.Created($"/v1/apps/{id}", ToCreated(created));
        });

        // An extension of the fixed routes (docs/console.md): the console lists a tenant's apps with it.
        api.MapGet("/v1/tenants/{tenantId}/apps", async (string tenantId, string? after, int? limit, Caller caller, IClusterClient cluster) =>
        {
            caller.EnsureCanManage(Validate.Id(tenantId, "tenant"), "tenant");
            var page = await cluster.GetGrain<IDirectoryQueryGrain>(0).ListAppsAsync(tenantId, after, Validate.Limit(limit));
            return Results.Ok(new { apps = page.Items, next = page.Next });
        });

        api.MapGet("/v1/apps/{appId}", async (string appId, Caller caller, IClusterClient cluster) =>
            Results.Ok(await GetVisibleAsync(appId, caller, cluster)));

        api.MapPatch("/v1/apps/{appId}", async (string appId, UpdateAppRequest body, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetVisibleAsync(appId, caller, cluster);
            caller.EnsureCanManage(app.TenantId, "app");
            var grain = cluster.GetGrain<IAppGrain>(appId);
            var template = body.PushTemplate?.Validated();
            var updated = await grain.UpdateAsync(body.Name, body.WebhookUrl);
            return Results.Ok(template is null ? updated : await grain.SetPushTemplateAsync(template));
        });

        // ?overlapSeconds=N: how long the old secret keeps working (default APPMSG_APP_SECRET_OVERLAP_SECONDS; 0 after a leak).
        api.MapPost("/v1/apps/{appId}/secret", async (string appId, int? overlapSeconds, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetVisibleAsync(appId, caller, cluster);
            caller.EnsureCanManage(app.TenantId, "app");
            var overlap = overlapSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            return Results.Ok(ToCreated(await cluster.GetGrain<IAppGrain>(appId).RotateSecretAsync(overlap)));
        });
        return api;
    }

    private static async Task<AppInfo> GetVisibleAsync(string appId, Caller caller, IClusterClient cluster)
    {
        Validate.Id(appId, "app");
        if (caller.Kind == CallerKind.User || (caller.Kind == CallerKind.App && caller.AppId != appId))
        {
            throw AppMsgException.NotFound("app");
        }

        var app = await cluster.GetGrain<IAppGrain>(appId).GetAsync() ?? throw AppMsgException.NotFound("app");
        caller.EnsureCanSee(app.TenantId, "app");
        return app;
    }

    private static AppCreated ToCreated(AppCredentials c) => new(c.App.Id, c.Secret, c.App.TenantId, c.App.Name, c.App.WebhookUrl);
}
