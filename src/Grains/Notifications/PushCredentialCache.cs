using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using AppMsg.Grains.Security;
using AppMsg.Notifications;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// The silo's decrypted copy of apps' push credentials (and notification template), read at most every 30 seconds per app
/// (a change made through another silo is seen within that; through this one, at once).
/// </summary>
public sealed class PushCredentialCache(PushStore store, SecretProtector secrets, IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lazy<Task<(AppPushCredentials Value, DateTimeOffset ReadAt)>>> apps = new(StringComparer.Ordinal);

    /// <summary>The app's credentials; an app without any has an empty set.</summary>
    public async Task<AppPushCredentials> GetAsync(string appId)
    {
        while (true)
        {
            var entry = apps.GetOrAdd(appId, id => new Lazy<Task<(AppPushCredentials, DateTimeOffset)>>(() => ReadAsync(id)));
            try
            {
                var (value, readAt) = await entry.Value;
                if (clock.GetUtcNow() - readAt < Lifetime)
                {
                    return value;
                }
            }
            catch
            {
                apps.TryRemove(new(appId, entry));
                throw;
            }

            apps.TryRemove(new(appId, entry));
        }
    }

    public void Invalidate(string appId) => apps.TryRemove(appId, out _);

    private async Task<(AppPushCredentials, DateTimeOffset)> ReadAsync(string appId)
    {
        var readAt = clock.GetUtcNow();
        ApnsKey? apns = null;
        FcmAccount? fcm = null;
        VapidKey? vapid = null;
        if (await store.GetCredentialAsync(appId, PushPlatforms.Apns) is { } a)
        {
            var settings = JsonSerializer.Deserialize<ApnsCredentials>(await UnprotectAsync(appId, PushPlatforms.Apns, a.Secret))!;
            apns = new ApnsKey(settings, PushKeys.ApnsKey(settings.PrivateKey));
        }

        if (await store.GetCredentialAsync(appId, PushPlatforms.Fcm) is { } f)
        {
            var settings = JsonSerializer.Deserialize<StoredFcm>(await UnprotectAsync(appId, PushPlatforms.Fcm, f.Secret))!;
            fcm = new FcmAccount(settings, PushKeys.RsaKey(settings.PrivateKey, "private_key"));
        }

        if (await store.GetCredentialAsync(appId, PushPlatforms.WebPush) is { } w)
        {
            var stored = JsonSerializer.Deserialize<StoredVapid>(await UnprotectAsync(appId, PushPlatforms.WebPush, w.Secret))!;
            var parameters = PushKeys.PublicPoint(PushKeys.FromBase64Url(stored.PublicKey)!);
            parameters.D = PushKeys.FromBase64Url(stored.PrivateKey);
            vapid = new VapidKey(ECDsa.Create(parameters), stored.PublicKey);
        }

        var app = await grains.GetGrain<AppMsg.Directory.IAppGrain>(appId).GetAsync();
        return (new AppPushCredentials(appId, apns, fcm, vapid, app?.PushTemplate, app?.TenantId), readAt);
    }

    /// <summary>
    /// The plaintext; a value still under <c>APPMSG_SECRETS_KEY_PREVIOUS</c> is written again under the current key
    /// (only if nobody replaced it meanwhile; a failure is tried again on the next read), so a key rotation needs no re-upload.
    /// </summary>
    private async Task<string> UnprotectAsync(string appId, string platform, string stored)
    {
        var purpose = CredentialPurposes.Of(platform, appId);
        var plain = secrets.Unprotect(stored, purpose);
        if (secrets.CanProtect && !secrets.IsCurrent(stored))
        {
            try
            {
                await store.ReplaceCredentialSecretAsync(appId, platform, stored, secrets.Protect(plain, purpose));
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
            }
        }

        return plain;
    }
}

/// <summary>An app's decrypted push credentials, as a silo's senders use them, and its notifications' template.</summary>
public sealed record AppPushCredentials(string AppId, ApnsKey? Apns, FcmAccount? Fcm, VapidKey? Vapid, PushTemplate? Template = null, string? TenantId = null);

/// <summary>The APNs settings and the imported signing key.</summary>
public sealed record ApnsKey(ApnsCredentials Settings, ECDsa Key);

/// <summary>The FCM service account and its imported signing key.</summary>
public sealed record FcmAccount(StoredFcm Settings, RSA Key);

/// <summary>The app's VAPID signing key and its public key (base64url), sent as <c>k=</c>.</summary>
public sealed record VapidKey(ECDsa Key, string PublicKey);
