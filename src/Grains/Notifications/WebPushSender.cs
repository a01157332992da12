using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291), written here rather than taken
/// from Lib.Net.Http.WebPush so that it shares the silo's HTTP/2 pool, trust settings and ES256 signer with APNs.
/// A VAPID token is signed once per (app, push service origin) and reused for an hour (it is valid for 12).
/// </summary>
public sealed class WebPushSender(PushHttp http, TimeProvider clock)
{
    /// <summary>The <c>sub</c> claim: a contact for push services to reach the operator.</summary>
    public const string Subject = "mailto:push@appmsg.invalid";

    private static readonly TimeSpan TokenReuse = TimeSpan.FromHours(1);
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly ConcurrentDictionary<(string AppId, string Origin), (string Token, DateTimeOffset SignedAt, VapidKey Key)> vapidTokens = new();

    // The plaintext is the same for every subscription a notification goes to; only the encryption differs.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<PushNotification, byte[]> plaintexts = [];

    public Task<SendResult> SendAsync(AppPushCredentials credentials, RegisteredDevice device, PushNotification notification, CancellationToken cancellation)
    {
        if (credentials.Vapid is not { } vapid || device.Device.Subscription is not { } subscription)
        {
            return Task.FromResult(SendResult.Failed("no_credentials"));
        }

        var endpoint = new Uri(subscription.Endpoint);
        var now = clock.GetUtcNow();
        var body = WebPushEncryption.Encrypt(plaintexts.GetValue(notification, FittedPayload), PushKeys.FromBase64Url(subscription.P256dh)!, PushKeys.FromBase64Url(subscription.Auth)!);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = OctetStream;
        request.Content.Headers.ContentEncoding.Add("aes128gcm");
        request.Headers.TryAddWithoutValidation("Authorization", $"vapid t={VapidToken(credentials.AppId, vapid, endpoint, now)}, k={vapid.PublicKey}");
        request.Headers.TryAddWithoutValidation("TTL", Math.Max(0, (long)(notification.ExpiresAt - now).TotalSeconds).ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Urgency", notification.HighPriority ? "high" : "normal");
        request.Headers.TryAddWithoutValidation("Topic", Topic(notification.CollapseKey));
        return SendDisposingAsync(request, cancellation);
    }

    private async Task<SendResult> SendDisposingAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        using (request)
        {
            return await http.SendAsync(request, response => Task.FromResult((int)response.StatusCode switch
            {
                >= 200 and < 300 => SendResult.Sent,
                404 or 410 => SendResult.Unregistered($"http_{(int)response.StatusCode}"),
                429 or >= 500 => SendResult.Retry($"http_{(int)response.StatusCode}", response),
                var status => SendResult.Failed($"http_{status}"),
            }), cancellation);
        }
    }

    /// <summary>The plaintext, made to fit <see cref="PayloadLimits.WebPush"/> (<see cref="PayloadLimits.Fit"/>).</summary>
    public static byte[] FittedPayload(PushNotification notification)
    {
        var payload = Payload(notification);
        return payload.Length <= PayloadLimits.WebPush ? payload : Payload(PayloadLimits.Fit(notification, PayloadLimits.WebPush, n => Payload(n).Length));
    }

    /// <summary>What the service worker receives: <c>{title, body, sound?, data}</c>.</summary>
    public static byte[] Payload(PushNotification notification)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, PayloadLimits.Json))
        {
            json.WriteStartObject();
            json.WriteString("title", notification.Title);
            json.WriteString("body", notification.Body);
            if (notification.Sound is { } sound)
            {
                json.WriteString("sound", sound);
            }

            json.WriteStartObject("data");
            foreach (var (key, value) in notification.Data)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A Topic is at most 32 characters of the base64url alphabet: a hash of the collapse key.</summary>
    public static string Topic(string collapseKey) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(collapseKey)))[..32];

    private string VapidToken(string appId, VapidKey vapid, Uri endpoint, DateTimeOffset now)
    {
        var origin = endpoint.GetLeftPart(UriPartial.Authority);
        if (vapidTokens.TryGetValue((appId, origin), out var known) && known.Key == vapid && now - known.SignedAt < TokenReuse)
        {
            return known.Token;
        }

        string token;
        lock (vapid.Key)
        {
            token = JsonWebTokens.SignEs256(vapid.Key, new { typ = "JWT", alg = "ES256" }, new { aud = origin, exp = now.AddHours(12).ToUnixTimeSeconds(), sub = Subject });
        }

        vapidTokens[(appId, origin)] = (token, now, vapid);
        return token;
    }
}
