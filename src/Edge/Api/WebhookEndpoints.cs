using System.Text.Json;
using AppMsg.Backends;
using AppMsg.Directory;

namespace AppMsg.Edge.Api;

/// <summary>
/// An app's webhook settings and signing secret, its dead letters, and the state of its observer backends:
/// <c>/v1/apps/{appId}/webhook</c>, <c>/v1/apps/{appId}/dead-letters</c>, <c>/v1/apps/{appId}/upstream</c>.
/// The operator and the app itself.
/// </summary>
public static class WebhookEndpoints
{
    public sealed record WebhookSettingsBody(int? MaxAttempts, int? InitialBackoffMs, int? TimeoutMs, bool? SessionEvents);

    public sealed record WebhookView(string? Url, int MaxAttempts, int InitialBackoffMs, int TimeoutMs, bool SessionEvents, long Delivered, int DeadLetters, bool HasSigningSecret, long EventsDelivered);

    public sealed record DeadLetterView(string Id, string Kind, long Seq, JsonElement Body, int Attempts, string LastError, DateTimeOffset FailedAt);

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/apps/{appId}/webhook", async (string appId, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetOwnAsync(appId, caller, cluster);
            return Results.Ok(View(app, await cluster.GetGrain<IWebhookGrain>(appId).GetStatusAsync()));
        });

        api.MapPut("/v1/apps/{appId}/webhook", async (string appId, WebhookSettingsBody body, Caller caller, IClusterClient cluster) =>
        {
            var app = await GetOwnAsync(appId, caller, cluster);
            var grain = cluster.GetGrain<IWebhookGrain>(appId);
            var current = (await grain.GetStatusAsync()).Settings;
            var status = await grain.UpdateSettingsAsync(new WebhookSettings(
                body.MaxAttempts ?? current.MaxAttempts, body.InitialBackoffMs ?? current.InitialBackoffMs,
                body.TimeoutMs ?? current.TimeoutMs, body.SessionEvents ?? current.SessionEvents));
            return Results.Ok(View(app, status));
        });

        api.MapPost("/v1/apps/{appId}/webhook/secret", async (string appId, Caller caller, IClusterClient cluster) =>
        {
            await GetOwnAsync(appId, caller, cluster);
            return Results.Ok(new { secret = await cluster.GetGrain<IWebhookGrain>(appId).RotateSigningSecretAsync() });
        });

        api.MapGet("/v1/apps/{appId}/dead-letters", async (string appId, Caller caller, IClusterClient cluster) =>
        {
            await GetOwnAsync(appId, caller, cluster);
            var letters = await cluster.GetGrain<IWebhookGrain>(appId).GetDeadLettersAsync();
            return Results.Ok(new
            {
                deadLetters = letters.Select(d => new DeadLetterView(d.Id, d.Kind, d.Seq, JsonDocument.Parse(d.Body).RootElement, d.Attempts, d.LastError, d.FailedAt)).ToList(),
            });
        });

        api.MapPost("/v1/apps/{appId}/dead-letters/{deadLetterId}/replay", async (string appId, string deadLetterId, Caller caller, IClusterClient cluster) =>
        {
            await GetOwnAsync(appId, caller, cluster);
            return await cluster.GetGrain<IWebhookGrain>(appId).ReplayDeadLetterAsync(deadLetterId)
                ? Results.Accepted(value: new { id = deadLetterId, replaying = true })
                : throw AppMsgException.NotFound("dead letter");
        });

        api.MapGet("/v1/apps/{appId}/upstream", async (string appId, Caller caller, IClusterClient cluster) =>
        {
            await GetOwnAsync(appId, caller, cluster);
            return Results.Ok(new { groups = await cluster.GetGrain<IAppUpstreamGrain>(appId).GetStatusAsync() });
        });
        return api;
    }

    private static WebhookView View(AppInfo app, WebhookStatus status) => new(app.WebhookUrl, status.Settings.MaxAttempts, status.Settings.InitialBackoffMs,
        status.Settings.TimeoutMs, status.Settings.SessionEvents, status.Delivered, status.DeadLetters, status.HasSigningSecret, status.EventsDelivered);

    /// <summary>The operator, or the app itself; 404 for anyone else.</summary>
    internal static async Task<AppInfo> GetOwnAsync(string appId, Caller caller, IClusterClient cluster)
    {
        Validate.Id(appId, "app");
        if (caller.Kind == CallerKind.User || (caller.Kind == CallerKind.App && caller.AppId != appId))
        {
            throw AppMsgException.NotFound("app");
        }

        return await cluster.GetGrain<IAppGrain>(appId).GetAsync() ?? throw AppMsgException.NotFound("app");
    }
}
