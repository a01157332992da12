using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Notifications.Tests;

/// <summary>
/// One running system (PostgreSQL, silo, edge) and one set of fake providers shared by the notification tests; the
/// silo trusts the fakes' certificate through APPMSG_PUSH_TRUST_PEM and waits 2 s for a live terminal's acknowledgement.
/// </summary>
public sealed class NotificationSystem : RunningSystem
{
    public static readonly TimeSpan AckDelay = TimeSpan.FromSeconds(2);

    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("appmsg-push-").FullName;
    private X509Certificate2? certificate;

    public FakeProviders Providers { get; private set; } = null!;

    /// <summary>The certificate the fakes serve, which the silo trusts.</summary>
    public X509Certificate2 Certificate => certificate!;

    public override async Task InitializeAsync()
    {
        certificate = TestCertificate.Create("push-providers");
        TestCertificate.WritePem(certificate, Path.Combine(directory, "providers.pem"), Path.Combine(directory, "providers.key"));
        Providers = await FakeProviders.StartAsync(certificate);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Providers.DisposeAsync();
        certificate?.Dispose();
        System.IO.Directory.Delete(directory, recursive: true);
    }

    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) =>
        settings with { PushTrustPem = Path.Combine(directory, "providers.pem"), PushAckDelay = AckDelay, SecretsKeyPrevious = PreviousSecretsKey };

    /// <summary>The key before the silo's current one (APPMSG_SECRETS_KEY_PREVIOUS): values under it still decrypt.</summary>
    public static byte[] PreviousSecretsKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>A new app of the tenant and its credential.</summary>
    public async Task<(string AppId, string Credential)> NewAppAsync(string tenantId)
    {
        var created = (await Api.PostAsync("/v1/apps", new { tenantId, name = "pusher" }, AdminKey)).Expect(HttpStatusCode.Created);
        return (created["id"], $"{created["id"]}:{created["secret"]}");
    }

    /// <summary>A new user of an existing tenant.</summary>
    public async Task<string> NewUserInAsync(string tenantId, string? displayName = null)
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        return (await Api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse", displayName }, AdminKey)).Expect(HttpStatusCode.Created)["id"];
    }

    /// <summary>Gives the app an APNs key the fake APNs trusts; returns the key's id.</summary>
    public async Task<string> SetUpApnsAsync(string appId, string credential, string topic = "dev.appmsg.test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = RandomNumberGenerator.GetHexString(10, lowercase: false);
        Providers.TrustApnsKey(keyId, ECDsa.Create(key.ExportParameters(false)));
        (await Api.PutAsync($"/v1/apps/{appId}/push/apns", new
        {
            keyId, teamId = "TEAM123456", topic, privateKey = key.ExportPkcs8PrivateKeyPem(), endpoint = Providers.BaseUrl,
        }, credential)).Expect(HttpStatusCode.NoContent);
        return keyId;
    }

    /// <summary>Gives the app a service account whose assertions the fake token endpoint verifies; returns its client email.</summary>
    public async Task<string> SetUpFcmAsync(string appId, string credential)
    {
        using var key = RSA.Create(2048);
        var email = $"push-{appId}@project.iam.gserviceaccount.com";
        Providers.TrustServiceAccount(email, RSA.Create(key.ExportParameters(false)));
        (await Api.PutAsync($"/v1/apps/{appId}/push/fcm", new
        {
            serviceAccount = new
            {
                type = "service_account", project_id = "appmsg-test", private_key_id = "k1", private_key = key.ExportPkcs8PrivateKeyPem(), client_email = email,
                token_uri = $"{Providers.BaseUrl}/token",
            },
            endpoint = Providers.BaseUrl,
        }, credential)).Expect(HttpStatusCode.NoContent);
        return email;
    }

    /// <summary>Registers an Android device of the user with a new FCM token; returns the token.</summary>
    public async Task<string> RegisterAndroidAsync(string userId, string appId, string credential, string deviceId = "pixel")
    {
        var token = "fcm-" + Guid.NewGuid().ToString("N");
        (await Api.PutAsync($"/v1/users/{userId}/devices/{deviceId}", new { platform = "fcm", appId, terminalType = 1, token }, credential)).Expect(HttpStatusCode.NoContent);
        return token;
    }

    /// <summary>
    /// Registers a browser of the user with a new subscription at the fake push service (after reading the app's VAPID key, as
    /// a page does to subscribe, which makes the key); returns the subscription's id there.
    /// </summary>
    public async Task<string> RegisterBrowserAsync(string userId, string appId, string credential, string deviceId = "browser")
    {
        (await Api.GetAsync($"/v1/apps/{appId}/push/webpush", credential)).Expect(HttpStatusCode.OK);
        var subscription = Providers.NewSubscription();
        (await Api.PutAsync($"/v1/users/{userId}/devices/{deviceId}", new
        {
            platform = "webpush", appId, terminalType = 8,
            subscription = new { endpoint = subscription.Endpoint, keys = new { p256dh = subscription.P256dh, auth = subscription.Auth } },
        }, credential)).Expect(HttpStatusCode.NoContent);
        return subscription.Endpoint[(subscription.Endpoint.LastIndexOf('/') + 1)..];
    }

    /// <summary>Registers an iOS device of the user with a new APNs token; returns the token.</summary>
    public async Task<string> RegisterIosAsync(string userId, string appId, string credential, string? deviceId = null)
    {
        var token = RandomNumberGenerator.GetHexString(64, lowercase: true);
        (await Api.PutAsync($"/v1/users/{userId}/devices/{deviceId ?? "iphone"}", new { platform = "apns", appId, terminalType = 2, token }, credential))
            .Expect(HttpStatusCode.NoContent);
        return token;
    }

    /// <summary>The app sends a text to the user (or any address); returns the message's id.</summary>
    public async Task<string> SendAsync(string to, string text, string credential, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["to"] = new[] { to }, ["type"] = "text", ["content"] = new { text } };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }

        var answer = (await Api.PostAsync("/v1/messages", body, credential)).Expect(HttpStatusCode.OK);
        return answer.Body.GetProperty("results")[0].GetProperty("id").GetString()!;
    }

    /// <summary>A registered raw TCP device of the user.</summary>
    public async Task<RawDevice> DeviceAsync(string tenantId, string userId, TerminalType terminalType)
    {
        var device = await RawDevice.ConnectAsync(TcpPort);
        var answer = await device.RegisterAsync(userId, await LoginAsync(tenantId, userId, (int)terminalType), terminalType);
        Assert.Equal(0, answer.Code);
        await WaitUntilLiveAsync(userId);
        return device;
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationCollection : ICollectionFixture<NotificationSystem>
{
    public const string Name = "notifications";
}
