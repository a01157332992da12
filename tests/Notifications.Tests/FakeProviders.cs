using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AppMsg.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AppMsg.Notifications.Tests;

/// <summary>
/// Loopback stand-ins for APNs, FCM (and its OAuth2 token endpoint) and a Web Push service: one Kestrel server
/// speaking HTTP/2 over TLS only, with a self-signed certificate the silo trusts through APPMSG_PUSH_TRUST_PEM.
/// Each checks what the real service checks (JWT signatures, headers, bearer tokens it issued) and records what it
/// received; Web Push bodies are decrypted with the subscription's private key.
/// </summary>
public sealed class FakeProviders : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ECDsa> apnsKeys = new();
    private readonly ConcurrentDictionary<string, RSA> fcmKeys = new();
    private readonly ConcurrentDictionary<string, byte> issuedAccessTokens = new();
    private readonly ConcurrentDictionary<string, (ECDiffieHellman Key, byte[] Auth)> subscriptions = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> scripted = new();

    private FakeProviders(WebApplication app, int port)
    {
        this.app = app;
        BaseUrl = $"https://localhost:{port}";
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<ProviderRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>An answer the next request for a token (or Web Push subscription id) gets instead of success.</summary>
    public sealed record Answer(int Status, string? Body = null, int? RetryAfterSeconds = null);

    public static async Task<FakeProviders> StartAsync(X509Certificate2 certificate)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var providers = new FakeProviders(app, port);
        app.MapPost("/3/device/{token}", (Delegate)providers.ApnsAsync);
        app.MapPost("/token", (Delegate)providers.TokenAsync);
        app.MapPost("/v1/projects/{project}/messages:send", (Delegate)providers.FcmAsync);
        app.MapPost("/push/{id}", (Delegate)providers.WebPushAsync);
        await app.StartAsync();
        return providers;
    }

    /// <summary>APNs refuses a larger body (413 PayloadTooLarge).</summary>
    public const int ApnsPayloadLimit = 4_096;

    /// <summary>FCM refuses more notification and data (keys and values, in UTF-8) with 400 "Message is too big".</summary>
    public const int FcmPayloadLimit = 4_096;

    /// <summary>A push service must take a 4,096-byte body (RFC 8030); the usual ones refuse more with 413.</summary>
    public const int WebPushBodyLimit = 4_096;

    public void TrustApnsKey(string keyId, ECDsa publicKey) => apnsKeys[keyId] = publicKey;

    public void TrustServiceAccount(string clientEmail, RSA publicKey) => fcmKeys[clientEmail] = publicKey;

    /// <summary>A new browser subscription at this push service: its endpoint and keys, as PushSubscription.toJSON() gives them.</summary>
    public (string Endpoint, string P256dh, string Auth) NewSubscription()
    {
        var id = Guid.NewGuid().ToString("N");
        var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        subscriptions[id] = (key, auth);
        var parameters = key.ExportParameters(false);
        var point = new byte[65];
        point[0] = 4;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        return ($"{BaseUrl}/push/{id}", Base64Url.EncodeToString(point), Base64Url.EncodeToString(auth));
    }

    /// <summary>Scripts the next answers for a device token or subscription id.</summary>
    public void Script(string tokenOrId, params Answer[] answers)
    {
        var queue = scripted.GetOrAdd(tokenOrId, _ => new ConcurrentQueue<Answer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    public IReadOnlyList<ProviderRequest> For(string tokenOrId) => [.. Requests.Where(r => r.Target == tokenOrId)];

    public async Task<IReadOnlyList<ProviderRequest>> WaitForAsync(string tokenOrId, int count, TimeSpan? timeout = null) =>
        await Eventually.ReturnsAsync(() => Task.FromResult(For(tokenOrId)), r => r.Count >= count, timeout ?? TimeSpan.FromSeconds(20), $"{count} provider requests for {tokenOrId}");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> ApnsAsync(string token, HttpContext context)
    {
        var body = await ReadAsync(context);
        var headers = context.Request.Headers;
        var authorization = headers.Authorization.ToString();
        var jwtValid = authorization.StartsWith("bearer ", StringComparison.Ordinal) && VerifyApnsJwt(authorization[7..]);
        var fits = body.Length <= ApnsPayloadLimit;
        var request = new ProviderRequest("apns", token, Headers(context), JsonDocument.Parse(body).RootElement.Clone(), jwtValid && fits, DateTime.UtcNow, context.Request.Protocol);
        Requests.Enqueue(request);
        if (!jwtValid)
        {
            return Results.Json(new { reason = "InvalidProviderToken" }, statusCode: 403);
        }

        if (!fits)
        {
            Problems.Enqueue($"apns: a {body.Length}-byte payload");
            return Results.Json(new { reason = "PayloadTooLarge" }, statusCode: 413);
        }

        return Scripted(token, context) ?? Results.Ok();
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !VerifyAssertion(form["assertion"].ToString()))
        {
            Problems.Enqueue("token endpoint: a bad grant");
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var accessToken = "ya29." + Guid.NewGuid().ToString("N");
        issuedAccessTokens[accessToken] = 0;
        var account = JsonDocument.Parse(Base64Url.DecodeFromChars(form["assertion"].ToString().Split('.')[1])).RootElement.GetProperty("iss").GetString()!;
        Requests.Enqueue(new ProviderRequest("token", account, Headers(context), default, true, DateTime.UtcNow, context.Request.Protocol));
        return Results.Json(new { access_token = accessToken, expires_in = 3599, token_type = "Bearer" });
    }

    private async Task<IResult> FcmAsync(string project, HttpContext context)
    {
        var body = JsonDocument.Parse(await ReadAsync(context)).RootElement.Clone();
        var authorization = context.Request.Headers.Authorization.ToString();
        var valid = authorization.StartsWith("Bearer ", StringComparison.Ordinal) && issuedAccessTokens.ContainsKey(authorization[7..]);
        var token = body.GetProperty("message").GetProperty("token").GetString()!;
        var size = FcmPayloadSize(body.GetProperty("message"));
        Requests.Enqueue(new ProviderRequest("fcm", token, Headers(context), body, valid && size <= FcmPayloadLimit, DateTime.UtcNow, context.Request.Protocol));
        if (!valid)
        {
            return Results.Json(new { error = new { code = 401, status = "UNAUTHENTICATED" } }, statusCode: 401);
        }

        if (size > FcmPayloadLimit)
        {
            Problems.Enqueue($"fcm: a {size}-byte payload");
            return Results.Json(new { error = new { code = 400, status = "INVALID_ARGUMENT", message = "Message is too big" } }, statusCode: 400);
        }

        return Scripted(token, context) ?? Results.Json(new { name = $"projects/{project}/messages/{Guid.NewGuid():N}" });
    }

    private async Task<IResult> WebPushAsync(string id, HttpContext context)
    {
        var body = await ReadAsync(context);
        if (body.Length > WebPushBodyLimit)
        {
            Problems.Enqueue($"web push: a {body.Length}-byte body");
            Requests.Enqueue(new ProviderRequest("webpush", id, Headers(context), default, false, DateTime.UtcNow, context.Request.Protocol));
            return Results.StatusCode(413);
        }

        var origin = BaseUrl;
        var valid = VerifyVapid(context.Request.Headers.Authorization.ToString(), origin);
        JsonElement decrypted = default;
        if (subscriptions.TryGetValue(id, out var subscription) && context.Request.Headers.ContentEncoding == "aes128gcm")
        {
            try
            {
                decrypted = JsonDocument.Parse(Decrypt(body, subscription.Key, subscription.Auth)).RootElement.Clone();
            }
            catch (Exception e) when (e is CryptographicException or JsonException or ArgumentException)
            {
                Problems.Enqueue($"web push: the body does not decrypt: {e.Message}");
                valid = false;
            }
        }
        else
        {
            valid = false;
        }

        Requests.Enqueue(new ProviderRequest("webpush", id, Headers(context), decrypted, valid, DateTime.UtcNow, context.Request.Protocol));
        if (!valid)
        {
            return Results.StatusCode(403);
        }

        return Scripted(id, context) ?? Results.StatusCode(201);
    }

    private IResult? Scripted(string target, HttpContext context)
    {
        if (!scripted.TryGetValue(target, out var queue) || !queue.TryDequeue(out var answer))
        {
            return null;
        }

        if (answer.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return answer.Body is null ? Results.StatusCode(answer.Status) : Results.Text(answer.Body, "application/json", statusCode: answer.Status);
    }

    private bool VerifyApnsJwt(string jwt)
    {
        var (header, claims, valid) = Jwt(jwt, (input, signature, header) =>
            header.TryGetProperty("kid", out var kid) && apnsKeys.TryGetValue(kid.GetString()!, out var key)
            && key.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        return valid && header.GetProperty("alg").GetString() == "ES256" && claims.TryGetProperty("iss", out _)
            && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - claims.GetProperty("iat").GetInt64()) < 3600;
    }

    private bool VerifyAssertion(string jwt)
    {
        RSA? key = null;
        var (header, claims, valid) = Jwt(jwt, (input, signature, _) =>
        {
            var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;
            return fcmKeys.TryGetValue(payload.GetProperty("iss").GetString()!, out key)
                && key.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        });
        return valid && header.GetProperty("alg").GetString() == "RS256"
            && claims.GetProperty("aud").GetString() == $"{BaseUrl}/token"
            && claims.GetProperty("scope").GetString() == "https://www.googleapis.com/auth/firebase.messaging"
            && claims.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    private static bool VerifyVapid(string authorization, string origin)
    {
        // vapid t=<jwt>, k=<public key>
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = authorization[6..].Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var point = Base64Url.DecodeFromChars(parts["k"]);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..65] },
        });
        var (_, claims, valid) = Jwt(parts["t"], (input, signature, _) =>
            key.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        return valid && claims.GetProperty("aud").GetString() == origin
            && claims.GetProperty("exp").GetInt64() is var exp && exp > DateTimeOffset.UtcNow.ToUnixTimeSeconds() && exp <= DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds()
            && claims.GetProperty("sub").GetString()!.StartsWith("mailto:", StringComparison.Ordinal);
    }

    private static (JsonElement Header, JsonElement Claims, bool Valid) Jwt(string jwt, Func<byte[], byte[], JsonElement, bool> verify)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return (default, default, false);
        }

        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone();
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
        return (header, claims, verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), header));
    }

    /// <summary>RFC 8291 decryption, as a user agent does it: written here independently of the product's encryption.</summary>
    public static byte[] Decrypt(byte[] body, ECDiffieHellman userAgent, byte[] auth)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16));
        var idLength = body[20];
        var senderPublic = body[21..(21 + idLength)];
        var record = body[(21 + idLength)..];
        if (record.Length > recordSize)
        {
            throw new ArgumentException("more than one record");
        }

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..65] },
        });
        var shared = userAgent.DeriveRawSecretAgreement(sender.PublicKey);
        var parameters = userAgent.ExportParameters(false);
        var userAgentPublic = new byte[65];
        userAgentPublic[0] = 4;
        parameters.Q.X!.CopyTo(userAgentPublic, 1);
        parameters.Q.Y!.CopyTo(userAgentPublic, 33);
        var keyInfo = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(userAgentPublic).Concat(senderPublic).ToArray();
        var prkKey = HMACSHA256.HashData(auth, shared);
        var ikm = HMACSHA256.HashData(prkKey, keyInfo.Append((byte)1).ToArray());
        var prk = HMACSHA256.HashData(salt, ikm);
        var cek = HMACSHA256.HashData(prk, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0\u0001"))[..16];
        var nonce = HMACSHA256.HashData(prk, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0\u0001"))[..12];
        var plain = new byte[record.Length - 16];
        using var aes = new AesGcm(cek, 16);
        aes.Decrypt(nonce, record[..^16], record[^16..], plain);
        var end = Array.LastIndexOf(plain, (byte)2);
        if (end < 0 || plain[(end + 1)..].Any(b => b != 0))
        {
            throw new ArgumentException("no last-record delimiter");
        }

        return plain[..end];
    }

    /// <summary>What FCM counts against its limit: the notification's and the data's names and values.</summary>
    private static int FcmPayloadSize(JsonElement message)
    {
        var size = 0;
        foreach (var part in new[] { "notification", "data" })
        {
            if (message.TryGetProperty(part, out var fields))
            {
                foreach (var field in fields.EnumerateObject())
                {
                    size += Encoding.UTF8.GetByteCount(field.Name) + Encoding.UTF8.GetByteCount(field.Value.GetString() ?? "");
                }
            }
        }

        return size;
    }

    private static Dictionary<string, string> Headers(HttpContext context) =>
        context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

/// <summary>One request a fake provider received.</summary>
/// <param name="Provider">apns, token, fcm or webpush.</param>
/// <param name="Target">The device token (APNs, FCM), subscription id (Web Push) or service account (token grants).</param>
/// <param name="Body">The JSON body (Web Push: decrypted).</param>
/// <param name="Valid">The credentials checked out (JWT signature, bearer token, VAPID, decryption).</param>
public sealed record ProviderRequest(string Provider, string Target, Dictionary<string, string> Headers, JsonElement Body, bool Valid, DateTime ReceivedAt, string Protocol);
