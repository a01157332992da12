using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class DeliveryTests(NotificationSystem system)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task An_offline_ios_user_gets_one_apns_request_with_the_alert_data_and_headers_under_a_valid_provider_token()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var sender = await system.NewUserInAsync(tenantId, displayName: "Ada");
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential, topic: "dev.appmsg.ios");
        var token = await system.RegisterIosAsync(userId, appId, credential);
        var senderToken = await system.LoginAsync(tenantId, sender);
        var text = new string('x', 300);

        var before = DateTimeOffset.UtcNow;
        var messageId = await system.SendAsync($"{userId}@user", text, senderToken, new { ttlSeconds = 3600 });

        var request = Assert.Single(await system.Providers.WaitForAsync(token, 1));
        Assert.True(request.Valid, "the provider token verifies with the app's key");
        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Equal("dev.appmsg.ios", request.Headers["apns-topic"]);
        Assert.Equal("alert", request.Headers["apns-push-type"]);
        Assert.Equal("5", request.Headers["apns-priority"]);
        Assert.Equal($"{userId}@user", request.Headers["apns-collapse-id"]);
        var expiration = long.Parse(request.Headers["apns-expiration"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration, before.AddSeconds(3590).ToUnixTimeSeconds(), before.AddSeconds(3610).ToUnixTimeSeconds());
        var alert = request.Body.GetProperty("aps").GetProperty("alert");
        Assert.Equal("Ada", alert.GetProperty("title").GetString());
        Assert.Equal(new string('x', 199) + "…", alert.GetProperty("body").GetString());
        Assert.Equal(messageId, request.Body.GetProperty("messageId").GetString());
        Assert.Equal($"{userId}@user", request.Body.GetProperty("timeline").GetString());
        Assert.Equal("1", request.Body.GetProperty("seq").GetString());

        // notify: false sends nothing; the sender's notification replaces title and body and asks for high priority.
        await system.SendAsync($"{userId}@user", "quiet", senderToken, new { notify = false });
        await system.SendAsync($"{userId}@user", "loud", senderToken, new { notification = new { title = "Call", body = "Ada is calling", sound = "ring.caf", priority = "high", data = new { call = "42" } } });
        var requests = await system.Providers.WaitForAsync(token, 2);
        await Task.Delay(Quiet);
        requests = system.Providers.For(token);
        Assert.Equal(2, requests.Count);
        var loud = requests[1];
        Assert.Equal("Call", loud.Body.GetProperty("aps").GetProperty("alert").GetProperty("title").GetString());
        Assert.Equal("Ada is calling", loud.Body.GetProperty("aps").GetProperty("alert").GetProperty("body").GetString());
        Assert.Equal("ring.caf", loud.Body.GetProperty("aps").GetProperty("sound").GetString());
        Assert.Equal("42", loud.Body.GetProperty("call").GetString());
        Assert.Equal("3", loud.Body.GetProperty("seq").GetString());
        Assert.Equal("10", loud.Headers["apns-priority"]);
    }

    [Fact]
    public async Task The_badge_is_the_users_unread_count_and_the_apps_statistics_count_what_was_sent()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var sender = await system.NewUserInAsync(tenantId);
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var token = await system.RegisterIosAsync(userId, appId, credential);
        var senderToken = await system.LoginAsync(tenantId, sender);

        await system.SendAsync($"{userId}@user", "one", senderToken);
        await system.SendAsync($"{userId}@user", "two", senderToken);
        await system.Providers.WaitForAsync(token, 2);

        // Once the conversation index shows both unread (and the badge cache has passed), the next notification says 3.
        await Eventually.ReturnsAsync(
            async () => (await system.Api.GetAsync($"/v1/users/{userId}/conversations", system.AdminKey)).Body,
            page => page.GetProperty("conversations").EnumerateArray().Any(c => c.GetProperty("unread").GetInt64() == 2),
            TimeSpan.FromSeconds(10), "two unread in the conversation");
        await Task.Delay(Grains.Notifications.PushBadges.Freshness);
        await system.SendAsync($"{userId}@user", "three", senderToken);
        var third = (await system.Providers.WaitForAsync(token, 3))[2];
        Assert.Equal(3, third.Body.GetProperty("aps").GetProperty("badge").GetInt32());

        await Eventually.ReturnsAsync(
            async () => (await system.Api.GetAsync($"/v1/stats?appId={appId}&granularity=day", system.AdminKey)).Body,
            stats => stats.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("notifications").GetProperty("sent").GetInt64()) == 3,
            TimeSpan.FromSeconds(15), "three notifications sent in the app's statistics");
    }

    [Fact]
    public async Task An_online_terminal_that_acknowledges_gets_none_and_one_that_does_not_gets_one_after_the_delay()
    {
        var (tenantId, acking) = await system.NewUserAsync();
        var silent = await system.NewUserInAsync(tenantId);
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var ackingToken = await system.RegisterIosAsync(acking, appId, credential);
        var silentToken = await system.RegisterIosAsync(silent, appId, credential);
        await using var ackingDevice = await system.DeviceAsync(tenantId, acking, TerminalType.Ios);
        await using var silentDevice = await system.DeviceAsync(tenantId, silent, TerminalType.Ios);

        await system.SendAsync($"{acking}@user", "seen", credential);
        var sent = DateTime.UtcNow;
        await system.SendAsync($"{silent}@user", "unseen", credential);
        var push = await ackingDevice.ReceiveAsync(TimeSpan.FromSeconds(5));
        await ackingDevice.AcknowledgeAsync(push);
        Assert.Equal(MessageType.Push, (await silentDevice.ReceiveAsync(TimeSpan.FromSeconds(5))).Type);

        var late = Assert.Single(await system.Providers.WaitForAsync(silentToken, 1, TimeSpan.FromSeconds(15)));
        Assert.True(late.ReceivedAt - sent >= NotificationSystem.AckDelay - TimeSpan.FromMilliseconds(100), $"sent after the delay, not at once ({late.ReceivedAt - sent})");
        await Task.Delay(Quiet);
        Assert.Empty(system.Providers.For(ackingToken));
    }

    [Fact]
    public async Task A_410_prunes_the_registration_and_bad_device_token_too()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var other = await system.NewUserInAsync(tenantId);
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var gone = await system.RegisterIosAsync(userId, appId, credential);
        var bad = await system.RegisterIosAsync(other, appId, credential);
        system.Providers.Script(gone, new FakeProviders.Answer(410, """{"reason":"Unregistered","timestamp":1700000000000}"""));
        system.Providers.Script(bad, new FakeProviders.Answer(400, """{"reason":"BadDeviceToken"}"""));

        await system.SendAsync($"{userId}@user", "to a dead phone", credential);
        await system.SendAsync($"{other}@user", "to a bad token", credential);

        foreach (var user in new[] { userId, other })
        {
            await Eventually.ReturnsAsync(
                async () => (await system.Api.GetAsync($"/v1/users/{user}/devices", credential)).Body.GetProperty("devices").GetArrayLength(),
                n => n == 0, TimeSpan.FromSeconds(15), "the registration pruned");
        }

        await system.SendAsync($"{userId}@user", "nobody to notify", credential);
        await Task.Delay(Quiet);
        Assert.Single(system.Providers.For(gone));
        Assert.Equal(2, system.SiloServices<AppMsg.Grains.Notifications.PushMetrics>().Snapshot(appId).GetValueOrDefault("pruned"));
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_after_it_and_a_500_is_retried()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var token = await system.RegisterIosAsync(userId, appId, credential);
        system.Providers.Script(token,
            new FakeProviders.Answer(429, """{"reason":"TooManyRequests"}""", RetryAfterSeconds: 2),
            new FakeProviders.Answer(503, """{"reason":"ServiceUnavailable"}"""));

        await system.SendAsync($"{userId}@user", "eventually", credential);

        var requests = await system.Providers.WaitForAsync(token, 3, TimeSpan.FromSeconds(20));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(2), $"waited Retry-After: {requests[1].ReceivedAt - requests[0].ReceivedAt}");
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt >= TimeSpan.FromMilliseconds(400), "backed off after the 503");
        Assert.All(requests, r => Assert.Equal(requests[0].Body.GetProperty("messageId").GetString(), r.Body.GetProperty("messageId").GetString()));
        await Task.Delay(Quiet);
        Assert.Equal(3, system.Providers.For(token).Count);
    }

    [Fact]
    public async Task An_http_1_only_provider_is_retried_and_counted_while_other_apps_notifications_go_through()
    {
        await using var http1Only = await Http1OnlyServer.StartAsync(system.Certificate);
        var (tenantId, userId) = await system.NewUserAsync();
        var (brokenApp, brokenCredential) = await system.NewAppAsync(tenantId);
        var (healthyApp, healthyCredential) = await system.NewAppAsync(tenantId);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (await system.Api.PutAsync($"/v1/apps/{brokenApp}/push/apns", new
        {
            keyId = "KEY0000001", teamId = "TEAM123456", topic = "dev.appmsg.broken", privateKey = key.ExportPkcs8PrivateKeyPem(), endpoint = http1Only.Url,
        }, brokenCredential)).Expect(HttpStatusCode.NoContent);
        await system.SetUpApnsAsync(healthyApp, healthyCredential);
        await system.RegisterIosAsync(userId, brokenApp, brokenCredential, deviceId: "broken");
        var healthyToken = await system.RegisterIosAsync(userId, healthyApp, healthyCredential, deviceId: "healthy");

        await system.SendAsync($"{userId}@user", "to both apps", system.AdminKey);

        await system.Providers.WaitForAsync(healthyToken, 1, TimeSpan.FromSeconds(10));
        var counts = await Eventually.ReturnsAsync(() => Task.FromResult(system.SiloServices<AppMsg.Grains.Notifications.PushMetrics>().Snapshot(brokenApp)),
            c => c.GetValueOrDefault("retried") >= 1, TimeSpan.FromSeconds(15), "the failed attempt counted as a retry");
        Assert.False(counts.ContainsKey("sent"));
    }

    [Fact]
    public async Task A_muted_sender_is_not_notified_of_in_a_qun()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var sender = await system.NewUserInAsync(tenantId);
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var token = await system.RegisterIosAsync(userId, appId, credential);
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "muted", ownerId = sender, members = new[] { userId } }, credential)).Expect(HttpStatusCode.Created)["id"];
        var senderToken = await system.LoginAsync(tenantId, sender);
        (await system.Api.PutAsync($"/v1/users/{userId}/mutes/{sender}@user", null, credential)).Expect(HttpStatusCode.NoContent);

        await system.SendAsync($"{qunId}@qun", "from a muted sender", senderToken);
        await Eventually.ReturnsAsync(() => Task.FromResult(system.SiloServices<AppMsg.Grains.Notifications.PushMetrics>().Snapshot(appId)),
            counts => counts.GetValueOrDefault("muted") == 1, TimeSpan.FromSeconds(10), "the muted notification counted");
        (await system.Api.DeleteAsync($"/v1/users/{userId}/mutes/{sender}@user", credential)).Expect(HttpStatusCode.NoContent);
        await system.SendAsync($"{qunId}@qun", "after unmuting", senderToken);

        var request = Assert.Single(await system.Providers.WaitForAsync(token, 1));
        Assert.Equal("after unmuting", request.Body.GetProperty("aps").GetProperty("alert").GetProperty("body").GetString());
        Assert.Equal($"{qunId}@qun", request.Headers["apns-collapse-id"]);
        await Task.Delay(Quiet);
        Assert.Single(system.Providers.For(token));
    }

    [Fact]
    public async Task An_fcm_device_gets_a_v1_message_under_a_token_from_the_jwt_grant_and_unregistered_prunes_it()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        var account = await system.SetUpFcmAsync(appId, credential);
        var token = await system.RegisterAndroidAsync(userId, appId, credential);

        var messageId = await system.SendAsync($"{userId}@user", "hello android", credential, new { ttlSeconds = 600 });
        var request = Assert.Single(await system.Providers.WaitForAsync(token, 1));
        Assert.True(request.Valid, "the bearer token is one the token endpoint issued for a verified assertion");
        var message = request.Body.GetProperty("message");
        Assert.Equal("hello android", message.GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal(messageId, message.GetProperty("data").GetProperty("messageId").GetString());
        Assert.Equal($"{userId}@user", message.GetProperty("android").GetProperty("collapse_key").GetString());
        Assert.Equal("NORMAL", message.GetProperty("android").GetProperty("priority").GetString());
        Assert.InRange(int.Parse(message.GetProperty("android").GetProperty("ttl").GetString()!.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture), 590, 600);

        // The access token is cached: a second message needs no new grant.
        system.Providers.Script(token, new FakeProviders.Answer(404, """{"error":{"code":404,"status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}"""));
        await system.SendAsync($"{userId}@user", "to an uninstalled app", credential);
        await Eventually.ReturnsAsync(
            async () => (await system.Api.GetAsync($"/v1/users/{userId}/devices", credential)).Body.GetProperty("devices").GetArrayLength(),
            n => n == 0, TimeSpan.FromSeconds(15), "the FCM registration pruned");
        Assert.Equal(2, system.Providers.For(token).Count);
        Assert.Single(system.Providers.Requests, r => r.Provider == "token" && r.Target == account);
    }

    [Fact]
    public async Task A_web_push_subscription_gets_an_aes128gcm_payload_under_a_vapid_token()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        var publicKey = (await system.Api.GetAsync($"/v1/apps/{appId}/push/webpush", credential)).Expect(HttpStatusCode.OK)["publicKey"];
        var subscription = system.Providers.NewSubscription();
        (await system.Api.PutAsync($"/v1/users/{userId}/devices/browser", new
        {
            platform = "webpush", appId, terminalType = 8,
            subscription = new { endpoint = subscription.Endpoint, keys = new { p256dh = subscription.P256dh, auth = subscription.Auth } },
        }, credential)).Expect(HttpStatusCode.NoContent);

        var messageId = await system.SendAsync($"{userId}@user", "hello browser", credential, new { ttlSeconds = 120 });
        var id = subscription.Endpoint[(subscription.Endpoint.LastIndexOf('/') + 1)..];
        var request = Assert.Single(await system.Providers.WaitForAsync(id, 1));
        Assert.True(request.Valid, "the VAPID token verifies with k, and the body decrypts with the subscription's key");
        Assert.Contains($"k={publicKey}", request.Headers["authorization"], StringComparison.Ordinal);
        Assert.InRange(int.Parse(request.Headers["ttl"], System.Globalization.CultureInfo.InvariantCulture), 110, 120);
        Assert.Equal("normal", request.Headers["urgency"]);
        Assert.Equal("hello browser", request.Body.GetProperty("body").GetString());
        Assert.Equal(messageId, request.Body.GetProperty("data").GetProperty("messageId").GetString());
    }
}

/// <summary>A TLS server that speaks HTTP/1.1 only, with the fakes' trusted certificate: an APNs endpoint that cannot do HTTP/2.</summary>
public sealed class Http1OnlyServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private Http1OnlyServer(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<Http1OnlyServer> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        app.MapPost("/3/device/{token}", () => Results.Ok());
        await app.StartAsync();
        return new Http1OnlyServer(app, $"https://localhost:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
