using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// FCM HTTP v1 (<c>POST /v1/projects/{project}/messages:send</c>). The OAuth2 access token is obtained with an
/// RS256 JWT-bearer grant at the service account's <c>token_uri</c> and kept until five minutes before it expires
/// (one request at a time per app; a 401 drops it).
/// </summary>
public sealed class FcmSender(PushHttp http, TimeProvider clock)
{
    public const string DefaultUrl = "https://fcm.googleapis.com";
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(5);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly ConcurrentDictionary<string, Lazy<Task<AccessToken?>>> accessTokens = new(StringComparer.Ordinal);

    // Each notification made to fit once, whatever the number of devices it goes to.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<PushNotification, PushNotification> fitted = [];

    private sealed record AccessToken(string Value, DateTimeOffset RenewAt, FcmAccount Account);

    /// <summary>The notification made to fit <see cref="PayloadLimits.Fcm"/>, measured without the token (the longest TTL assumed).</summary>
    public static PushNotification Fitted(PushNotification notification) =>
        PayloadLimits.Fit(notification, PayloadLimits.Fcm, n => Payload(null, n, DateTimeOffset.UnixEpoch).Length);

    public async Task<SendResult> SendAsync(AppPushCredentials credentials, RegisteredDevice device, PushNotification notification, CancellationToken cancellation)
    {
        if (credentials.Fcm is not { } account)
        {
            return SendResult.Failed("no_credentials");
        }

        var token = await AccessTokenAsync(credentials.AppId, account, cancellation);
        if (token is null)
        {
            return SendResult.Retry("token_endpoint");
        }

        var settings = account.Settings;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{settings.Endpoint ?? DefaultUrl}/v1/projects/{Uri.EscapeDataString(settings.ProjectId)}/messages:send")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Payload(device.Token, fitted.GetValue(notification, Fitted), clock.GetUtcNow())),
        };
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var result = await http.SendAsync(request, InterpretAsync, cancellation);
        if (result.Reason == "http_401")
        {
            accessTokens.TryRemove(credentials.AppId, out _);
            return SendResult.Retry("unauthenticated");
        }

        return result;
    }

    private static async Task<SendResult> InterpretAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return SendResult.Sent;
        }

        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (body.Contains("\"UNREGISTERED\"", StringComparison.Ordinal))
        {
            return SendResult.Unregistered("UNREGISTERED");
        }

        return status switch
        {
            429 or >= 500 => SendResult.Retry($"http_{status}", response),
            404 => SendResult.Unregistered("NOT_FOUND"),
            _ => SendResult.Failed($"http_{status}"),
        };
    }

    /// <summary>The v1 message: notification, data (strings), and the Android collapse key, TTL and priority.</summary>
    public static byte[] Payload(string? token, PushNotification notification, DateTimeOffset now)
    {
        var ttl = Math.Max(0, (long)(notification.ExpiresAt - now).TotalSeconds);
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, PayloadLimits.Json))
        {
            json.WriteStartObject();
            json.WriteStartObject("message");
            json.WriteString("token", token);
            json.WriteStartObject("notification");
            json.WriteString("title", notification.Title);
            json.WriteString("body", notification.Body);
            json.WriteEndObject();
            json.WriteStartObject("data");
            foreach (var (key, value) in notification.Data)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStartObject("android");
            json.WriteString("collapse_key", notification.CollapseKey);
            json.WriteString("priority", notification.HighPriority ? "HIGH" : "NORMAL");
            json.WriteString("ttl", ttl.ToString(CultureInfo.InvariantCulture) + "s");
            if (notification.Sound is { } sound)
            {
                json.WriteStartObject("notification");
                json.WriteString("sound", sound);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<AccessToken?> AccessTokenAsync(string appId, FcmAccount account, CancellationToken cancellation)
    {
        while (true)
        {
            var entry = accessTokens.GetOrAdd(appId, _ => new Lazy<Task<AccessToken?>>(() => RequestTokenAsync(account, cancellation)));
            var token = await entry.Value;
            if (token is not null && token.Account == account && clock.GetUtcNow() < token.RenewAt)
            {
                return token;
            }

            accessTokens.TryRemove(new(appId, entry));
            if (token is null)
            {
                return null;
            }
        }
    }

    private async Task<AccessToken?> RequestTokenAsync(FcmAccount account, CancellationToken cancellation)
    {
        var settings = account.Settings;
        var now = clock.GetUtcNow();
        string assertion;
        lock (account.Key)
        {
            assertion = JsonWebTokens.SignRs256(account.Key, new { alg = "RS256", typ = "JWT" }, new
            {
                iss = settings.ClientEmail,
                scope = Scope,
                aud = settings.TokenUri,
                iat = now.ToUnixTimeSeconds(),
                exp = now.AddHours(1).ToUnixTimeSeconds(),
            });
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenUri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new FormUrlEncodedContent([
                new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                new("assertion", assertion),
            ]),
        };
        AccessToken? token = null;
        await http.SendAsync(request, async response =>
        {
            if (!response.IsSuccessStatusCode)
            {
                return SendResult.Failed($"http_{(int)response.StatusCode}");
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            var root = document.RootElement;
            if (root.TryGetProperty("access_token", out var value) && value.GetString() is { Length: > 0 } accessToken)
            {
                var lifetime = root.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromHours(1);
                token = new AccessToken(accessToken, now + (lifetime > 2 * RenewBeforeExpiry ? lifetime - RenewBeforeExpiry : lifetime / 2), account);
            }

            return SendResult.Sent;
        }, cancellation);
        return token;
    }
}
