using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AppMsg.Notifications;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// APNs over HTTP/2 with token-based authentication (<c>POST /3/device/{token}</c>). The provider token comes
/// from the app's <see cref="IPushCredentialsGrain"/>, shared by the whole cluster; a silo keeps its copy for
/// a minute, so a token in use is never older than about 41 minutes.
/// </summary>
public sealed class ApnsSender(PushHttp http, IGrainFactory grains, TimeProvider clock)
{
    public const string ProductionUrl = "https://api.push.apple.com";
    public const string SandboxUrl = "https://api.sandbox.push.apple.com";

    private static readonly TimeSpan LocalTokenLifetime = TimeSpan.FromMinutes(1);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    // The body is the same for every device a notification goes to (a per-device badge makes another notification).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<PushNotification, byte[]> payloads = [];
    private readonly ConcurrentDictionary<string, (Task<string?> Token, DateTimeOffset FetchedAt)> tokens = new(StringComparer.Ordinal);

    public async Task<SendResult> SendAsync(AppPushCredentials credentials, RegisteredDevice device, PushNotification notification, CancellationToken cancellation)
    {
        if (credentials.Apns is not { } apns)
        {
            return SendResult.Failed("no_credentials");
        }

        var token = await ProviderTokenAsync(credentials.AppId, rejected: null);
        if (token is null)
        {
            return SendResult.Failed("no_credentials");
        }

        var result = await SendOnceAsync(apns, token, device, notification, cancellation);
        if (result.Reason == "ExpiredProviderToken")
        {
            // Another silo's or an old copy: ask for the current one, once.
            token = await ProviderTokenAsync(credentials.AppId, rejected: token);
            if (token is not null)
            {
                result = await SendOnceAsync(apns, token, device, notification, cancellation);
            }
        }

        return result;
    }

    private Task<SendResult> SendOnceAsync(ApnsKey apns, string providerToken, RegisteredDevice device, PushNotification notification, CancellationToken cancellation)
    {
        var settings = apns.Settings;
        var baseUrl = settings.Endpoint ?? (device.Device.Sandbox || settings.Sandbox ? SandboxUrl : ProductionUrl);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/3/device/{device.Token}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(payloads.GetValue(notification, FittedPayload)),
        };
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", providerToken);
        request.Headers.TryAddWithoutValidation("apns-topic", settings.Topic);
        request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
        request.Headers.TryAddWithoutValidation("apns-priority", notification.HighPriority ? "10" : "5");
        request.Headers.TryAddWithoutValidation("apns-expiration", notification.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("apns-collapse-id", CollapseId(notification.CollapseKey));
        return SendDisposingAsync(request, cancellation);
    }

    private async Task<SendResult> SendDisposingAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        using (request)
        {
            return await http.SendAsync(request, InterpretAsync, cancellation);
        }
    }

    private static async Task<SendResult> InterpretAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return SendResult.Sent;
        }

        var reason = await ReasonAsync(response);
        return (int)response.StatusCode switch
        {
            410 => SendResult.Unregistered(reason ?? "Unregistered"),
            400 when reason is "BadDeviceToken" or "DeviceTokenNotForTopic" => SendResult.Unregistered(reason),
            429 or >= 500 => SendResult.Retry(reason ?? $"http_{(int)response.StatusCode}", response),
            403 when reason == "ExpiredProviderToken" => SendResult.Retry(reason, response),
            _ => SendResult.Failed(reason ?? $"http_{(int)response.StatusCode}"),
        };
    }

    /// <summary>APNs answers errors with <c>{"reason": "..."}</c>.</summary>
    private static async Task<string?> ReasonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        if (body.Length == 0)
        {
            return null;
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
    }

    /// <summary>The body, made to fit <see cref="PayloadLimits.Apns"/> (<see cref="PayloadLimits.Fit"/>).</summary>
    public static byte[] FittedPayload(PushNotification notification)
    {
        var payload = Payload(notification);
        return payload.Length <= PayloadLimits.Apns ? payload : Payload(PayloadLimits.Fit(notification, PayloadLimits.Apns, n => Payload(n).Length));
    }

    /// <summary>The JSON body: <c>aps</c> with the alert, badge and sound, and the custom data beside it.</summary>
    public static byte[] Payload(PushNotification notification)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, PayloadLimits.Json))
        {
            json.WriteStartObject();
            json.WriteStartObject("aps");
            json.WriteStartObject("alert");
            json.WriteString("title", notification.Title);
            json.WriteString("body", notification.Body);
            json.WriteEndObject();
            if (notification.Badge is { } badge)
            {
                json.WriteNumber("badge", badge);
            }

            if (notification.Sound is { } sound)
            {
                json.WriteString("sound", sound);
            }

            json.WriteEndObject();
            foreach (var (key, value) in notification.Data)
            {
                if (key != "aps")
                {
                    json.WriteString(key, value);
                }
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary><c>apns-collapse-id</c> is at most 64 bytes: a longer key is hashed.</summary>
    private static string CollapseId(string key) =>
        System.Text.Encoding.UTF8.GetByteCount(key) <= 64 ? key : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    private async Task<string?> ProviderTokenAsync(string appId, string? rejected)
    {
        var now = clock.GetUtcNow();
        if (rejected is null && tokens.TryGetValue(appId, out var cached) && now - cached.FetchedAt < LocalTokenLifetime)
        {
            var known = await cached.Token;
            if (known is not null)
            {
                return known;
            }
        }

        var fetch = grains.GetGrain<IPushCredentialsGrain>(appId).GetApnsProviderTokenAsync(rejected);
        tokens[appId] = (fetch, now);
        try
        {
            return await fetch;
        }
        catch
        {
            tokens.TryRemove(appId, out _);
            throw;
        }
    }
}
