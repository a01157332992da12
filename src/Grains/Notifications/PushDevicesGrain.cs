using System.Security.Cryptography;
using AppMsg.Directory;
using AppMsg.Notifications;

namespace AppMsg.Grains.Notifications;

/// <summary>A user's push registrations, in <c>push_devices</c>; the grain checks what the API cannot.</summary>
public sealed class PushDevicesGrain(PushStore store, PushPipeline pipeline) : Grain, IPushDevicesGrain
{
    private const int MaxTokenLength = 4_096;

    private string UserId => this.GetPrimaryKeyString();

    public async Task RegisterAsync(PushDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Check(device);
        var user = await GrainFactory.GetGrain<IUserGrain>(UserId).GetAsync() ?? throw AppMsgException.NotFound("user");
        var app = await GrainFactory.GetGrain<IAppGrain>(device.AppId).GetAsync();
        if (app is null || app.TenantId != user.TenantId)
        {
            throw AppMsgException.NotFound("app");
        }

        await store.UpsertDeviceAsync(UserId, user.TenantId, device);
        pipeline.NoteDeviceRegistered();
    }

    public Task<bool> RemoveAsync(string deviceId) => store.DeleteDeviceAsync(UserId, deviceId ?? "");

    public async Task<IReadOnlyList<PushDevice>> ListAsync() => [.. (await store.DevicesOfUserAsync(UserId)).Select(d => d.Device)];

    /// <summary>The registration's fields; each failure names the field.</summary>
    public static void Check(PushDevice device)
    {
        if (!IsDeviceId(device.DeviceId))
        {
            throw AppMsgException.Invalid("deviceId", "deviceId must be 1 to 128 of A-Z a-z 0-9 . _ : -");
        }

        if (!PushPlatforms.IsKnown(device.Platform))
        {
            throw AppMsgException.Invalid("platform", "platform must be apns, fcm or webpush");
        }

        if (!Ids.IsValid(device.AppId))
        {
            throw AppMsgException.Invalid("appId", "appId is required: the app whose credentials reach the device");
        }

        if (device.TerminalType is not (1 or 2 or 4 or 8 or 16))
        {
            throw AppMsgException.Invalid("terminalType", "terminalType must be one of 1 (Android), 2 (iOS), 4 (WinPhone), 8 (Web), 16 (PC)");
        }

        switch (device.Platform)
        {
            case PushPlatforms.Apns when device.Token is not { Length: >= 32 and <= 200 } t || !t.All(char.IsAsciiHexDigit):
                throw AppMsgException.Invalid("token", "token must be the APNs device token in hex");
            case PushPlatforms.Fcm when device.Token is not { Length: > 0 and <= MaxTokenLength } t || t.Any(c => c <= ' ' || c > '~'):
                throw AppMsgException.Invalid("token", "token must be the FCM registration token");
            case PushPlatforms.Apns or PushPlatforms.Fcm when device.Subscription is not null:
                throw AppMsgException.Invalid("subscription", "subscription is for webpush devices only");
            case PushPlatforms.WebPush:
                CheckSubscription(device.Subscription, device.Token);
                break;
        }
    }

    private static void CheckSubscription(WebPushSubscription? subscription, string? token)
    {
        if (token is not null)
        {
            throw AppMsgException.Invalid("token", "a webpush device has a subscription, not a token");
        }

        if (subscription is null)
        {
            throw AppMsgException.Invalid("subscription", "subscription is required: {endpoint, keys: {p256dh, auth}}");
        }

        if (!Uri.TryCreate(subscription.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps || subscription.Endpoint.Length > MaxTokenLength)
        {
            throw AppMsgException.Invalid("subscription.endpoint", "subscription.endpoint must be the push service's https URL");
        }

        if (PushKeys.FromBase64Url(subscription.P256dh) is not { Length: 65 } point || point[0] != 4 || !IsP256Point(point))
        {
            throw AppMsgException.Invalid("subscription.keys.p256dh", "subscription.keys.p256dh must be an uncompressed P-256 public key, base64url");
        }

        if (PushKeys.FromBase64Url(subscription.Auth) is not { Length: 16 })
        {
            throw AppMsgException.Invalid("subscription.keys.auth", "subscription.keys.auth must be 16 bytes, base64url");
        }
    }

    private static bool IsP256Point(byte[] point)
    {
        try
        {
            using var key = ECDiffieHellman.Create(PushKeys.PublicPoint(point));
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsDeviceId(string? id) =>
        id is { Length: >= 1 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
