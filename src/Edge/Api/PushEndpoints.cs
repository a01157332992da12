using System.Text.Json;
using AppMsg.Notifications;

namespace AppMsg.Edge.Api;

/// <summary>
/// Offline notifications: a user's push devices (<c>/v1/users/{userId}/devices</c>: the user, an app of its
/// tenant, the operator) and an app's provider credentials (<c>/v1/apps/{appId}/push/*</c>: the operator and
/// the app), which are never read back.
/// </summary>
public static class PushEndpoints
{
    public sealed record SubscriptionKeysBody(string? P256dh, string? Auth);

    public sealed record SubscriptionBody(string? Endpoint, SubscriptionKeysBody? Keys);

    public sealed record DeviceBody(string? Platform, string? AppId, int? TerminalType, string? Token, SubscriptionBody? Subscription, bool? Sandbox);

    public sealed record DeviceView(string DeviceId, string Platform, string AppId, int TerminalType, string? Token, SubscriptionBody? Subscription, bool Sandbox);

    public sealed record ApnsBody(string? KeyId, string? TeamId, string? Topic, string? PrivateKey, bool? Sandbox, string? Endpoint);

    public sealed record FcmBody(JsonElement? ServiceAccount, string? Endpoint);

    public static IEndpointRouteBuilder MapPush(this IEndpointRouteBuilder api)
    {
        api.MapPut("/v1/users/{userId}/devices/{deviceId}", async (string userId, string deviceId, DeviceBody body, Caller caller, IClusterClient cluster) =>
        {
            var user = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            var subscription = body.Subscription is { } s
                ? new WebPushSubscription(s.Endpoint ?? "", s.Keys?.P256dh ?? "", s.Keys?.Auth ?? "")
                : null;
            await cluster.GetGrain<IPushDevicesGrain>(user.Id).RegisterAsync(new PushDevice(
                deviceId, Validate.Required(body.Platform, "platform"), Validate.Required(body.AppId, "appId"),
                Validate.TerminalType(body.TerminalType), body.Token, subscription, body.Sandbox ?? false));
            return Results.NoContent();
        });

        api.MapGet("/v1/users/{userId}/devices", async (string userId, Caller caller, IClusterClient cluster) =>
        {
            var user = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            var devices = await cluster.GetGrain<IPushDevicesGrain>(user.Id).ListAsync();
            return Results.Ok(new
            {
                devices = devices.Select(d => new DeviceView(d.DeviceId, d.Platform, d.AppId, d.TerminalType, d.Token,
                    d.Subscription is { } s ? new SubscriptionBody(s.Endpoint, new SubscriptionKeysBody(s.P256dh, s.Auth)) : null, d.Sandbox)).ToList(),
            });
        });

        api.MapDelete("/v1/users/{userId}/devices/{deviceId}", async (string userId, string deviceId, Caller caller, IClusterClient cluster) =>
        {
            var user = await UserEndpoints.GetVisibleAsync(userId, caller, cluster);
            await cluster.GetGrain<IPushDevicesGrain>(user.Id).RemoveAsync(deviceId);
            return Results.NoContent();
        });

        api.MapPut("/v1/apps/{appId}/push/apns", async (string appId, ApnsBody body, Caller caller, IClusterClient cluster) =>
        {
            await WebhookEndpoints.GetOwnAsync(appId, caller, cluster);
            await cluster.GetGrain<IPushCredentialsGrain>(appId).SetApnsAsync(new ApnsCredentials(
                body.KeyId ?? "", body.TeamId ?? "", body.Topic ?? "", body.PrivateKey ?? "", body.Sandbox ?? false, body.Endpoint));
            return Results.NoContent();
        });

        api.MapPut("/v1/apps/{appId}/push/fcm", async (string appId, FcmBody body, Caller caller, IClusterClient cluster) =>
        {
            await WebhookEndpoints.GetOwnAsync(appId, caller, cluster);
            if (body.ServiceAccount is not { ValueKind: JsonValueKind.Object } account)
            {
                throw AppMsgException.Invalid("serviceAccount", "serviceAccount must be the service account's JSON key file");
            }

            await cluster.GetGrain<IPushCredentialsGrain>(appId).SetFcmAsync(new FcmCredentials(account.GetRawText(), body.Endpoint));
            return Results.NoContent();
        });

        api.MapGet("/v1/apps/{appId}/push/webpush", async (string appId, Caller caller, IClusterClient cluster) =>
        {
            await WebhookEndpoints.GetOwnAsync(appId, caller, cluster);
            return Results.Ok(new { publicKey = await cluster.GetGrain<IPushCredentialsGrain>(appId).GetWebPushPublicKeyAsync() });
        });
        return api;
    }
}
