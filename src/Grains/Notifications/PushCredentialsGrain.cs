using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using AppMsg.Directory;
using AppMsg.Grains.Security;
using AppMsg.Notifications;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Stores an app's push credentials, encrypted under <c>APPMSG_SECRETS_KEY</c> (the webhook secrets' protector),
/// creates its VAPID keys on first use, and mints the APNs provider token the whole cluster shares for the app's key.
/// </summary>
public sealed class PushCredentialsGrain(PushStore store, SecretProtector secrets, PushCredentialCache cache, TimeProvider clock) : Grain, IPushCredentialsGrain
{
    /// <summary>A provider token is replaced at this age (Apple: no more often than every 20 minutes, none older than 60).</summary>
    public static readonly TimeSpan ProviderTokenRefresh = TimeSpan.FromMinutes(40);

    private static readonly TimeSpan ProviderTokenMinimumAge = TimeSpan.FromMinutes(20);

    private (string Token, DateTimeOffset IssuedAt)? providerToken;

    private string AppId => this.GetPrimaryKeyString();

    public async Task SetApnsAsync(ApnsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var keyId = Validate.Required(credentials.KeyId, "keyId", 64);
        var teamId = Validate.Required(credentials.TeamId, "teamId", 64);
        var topic = Validate.Required(credentials.Topic, "topic", 255);
        using (PushKeys.ApnsKey(credentials.PrivateKey))
        {
        }

        var clean = credentials with { KeyId = keyId, TeamId = teamId, Topic = topic, Endpoint = PushKeys.Endpoint(credentials.Endpoint) };
        await EnsureAppAsync();
        await store.PutCredentialAsync(AppId, PushPlatforms.Apns, secrets.Protect(JsonSerializer.Serialize(clean), CredentialPurposes.Of(PushPlatforms.Apns, AppId)));
        providerToken = null;
        cache.Invalidate(AppId);
    }

    public async Task SetFcmAsync(FcmCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var account = PushKeys.ServiceAccount(credentials.ServiceAccountJson);
        var stored = new StoredFcm(account.ProjectId, account.ClientEmail, account.PrivateKey, account.TokenUri, PushKeys.Endpoint(credentials.Endpoint));
        await EnsureAppAsync();
        await store.PutCredentialAsync(AppId, PushPlatforms.Fcm, secrets.Protect(JsonSerializer.Serialize(stored), CredentialPurposes.Of(PushPlatforms.Fcm, AppId)));
        cache.Invalidate(AppId);
    }

    public async Task<string> GetWebPushPublicKeyAsync()
    {
        if (await store.GetCredentialAsync(AppId, PushPlatforms.WebPush) is { PublicKey: { } known })
        {
            return known;
        }

        await EnsureAppAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        var publicKey = Base64Url.EncodeToString(PushKeys.UncompressedPoint(parameters));
        var vapid = new StoredVapid(Base64Url.EncodeToString(parameters.D), publicKey);
        var (_, stored) = await store.PutKeyPairOnceAsync(
            AppId, PushPlatforms.WebPush, secrets.Protect(JsonSerializer.Serialize(vapid), CredentialPurposes.Of(PushPlatforms.WebPush, AppId)), publicKey);
        cache.Invalidate(AppId);
        return stored;
    }

    public async Task<string?> GetApnsProviderTokenAsync(string? rejected = null)
    {
        var now = clock.GetUtcNow();
        if (providerToken is { } current && now - current.IssuedAt < ProviderTokenRefresh
            && (rejected != current.Token || now - current.IssuedAt < ProviderTokenMinimumAge))
        {
            return current.Token;
        }

        var credentials = await cache.GetAsync(AppId);
        if (credentials.Apns is not { } apns)
        {
            return null;
        }

        var token = JsonWebTokens.SignEs256(apns.Key, new { alg = "ES256", kid = apns.Settings.KeyId }, new { iss = apns.Settings.TeamId, iat = now.ToUnixTimeSeconds() });
        providerToken = (token, now);
        return token;
    }

    private async Task EnsureAppAsync()
    {
        if (await GrainFactory.GetGrain<IAppGrain>(AppId).GetAsync() is null)
        {
            throw AppMsgException.NotFound("app");
        }
    }

    private static class Validate
    {
        public static string Required(string? value, string field, int maxLength) =>
            string.IsNullOrWhiteSpace(value) ? throw AppMsgException.Invalid(field, $"{field} is required")
            : value.Length > maxLength ? throw AppMsgException.Invalid(field, $"{field} must be at most {maxLength} characters")
            : value.Trim();
    }
}
