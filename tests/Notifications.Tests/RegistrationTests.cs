using System.Net;
using System.Security.Cryptography;
using Npgsql;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class RegistrationTests(NotificationSystem system)
{
    [Fact]
    public async Task Devices_are_registered_listed_and_removed_by_the_user_and_an_app_of_its_tenant()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        var userToken = await system.LoginAsync(tenantId, userId);
        var token = RandomNumberGenerator.GetHexString(64, lowercase: true);
        var subscription = system.Providers.NewSubscription();

        (await system.Api.PutAsync($"/v1/users/{userId}/devices/phone", new { platform = "apns", appId, terminalType = 2, token, sandbox = true }, userToken))
            .Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/users/{userId}/devices/browser", new
        {
            platform = "webpush", appId, terminalType = 8,
            subscription = new { endpoint = subscription.Endpoint, keys = new { p256dh = subscription.P256dh, auth = subscription.Auth } },
        }, credential)).Expect(HttpStatusCode.NoContent);

        var devices = (await system.Api.GetAsync($"/v1/users/{userId}/devices", userToken)).Expect(HttpStatusCode.OK).Body.GetProperty("devices");
        Assert.Equal(["browser", "phone"], devices.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));
        Assert.Equal(subscription.Endpoint, devices[0].GetProperty("subscription").GetProperty("endpoint").GetString());
        Assert.Equal(token, devices[1].GetProperty("token").GetString());
        Assert.True(devices[1].GetProperty("sandbox").GetBoolean());

        (await system.Api.DeleteAsync($"/v1/users/{userId}/devices/phone", credential)).Expect(HttpStatusCode.NoContent);
        devices = (await system.Api.GetAsync($"/v1/users/{userId}/devices", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("devices");
        Assert.Equal(["browser"], devices.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));

        // Another user of the same tenant, and another tenant's app, do not see them.
        var other = await system.NewUserInAsync(tenantId);
        var otherToken = await system.LoginAsync(tenantId, other);
        Assert.Equal("not_found", (await system.Api.GetAsync($"/v1/users/{userId}/devices", otherToken)).Expect(HttpStatusCode.NotFound).Code);
        var (otherTenant, _) = await system.NewUserAsync();
        var (_, otherCredential) = await system.NewAppAsync(otherTenant);
        Assert.Equal("not_found", (await system.Api.GetAsync($"/v1/users/{userId}/devices", otherCredential)).Expect(HttpStatusCode.NotFound).Code);
    }

    [Fact]
    public async Task A_token_registered_by_another_user_moves_to_it()
    {
        var (tenantId, first) = await system.NewUserAsync();
        var second = await system.NewUserInAsync(tenantId);
        var (appId, credential) = await system.NewAppAsync(tenantId);
        var token = RandomNumberGenerator.GetHexString(64, lowercase: true);

        (await system.Api.PutAsync($"/v1/users/{first}/devices/phone", new { platform = "apns", appId, terminalType = 2, token }, credential)).Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/users/{second}/devices/same-phone", new { platform = "apns", appId, terminalType = 2, token }, credential)).Expect(HttpStatusCode.NoContent);

        Assert.Equal(0, (await system.Api.GetAsync($"/v1/users/{first}/devices", credential)).Body.GetProperty("devices").GetArrayLength());
        var devices = (await system.Api.GetAsync($"/v1/users/{second}/devices", credential)).Body.GetProperty("devices");
        Assert.Equal(token, devices[0].GetProperty("token").GetString());
    }

    [Fact]
    public async Task Bad_registrations_are_refused_naming_the_field_and_another_tenants_app_is_404()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        var subscription = system.Providers.NewSubscription();
        var token = RandomNumberGenerator.GetHexString(64, lowercase: true);

        async Task ExpectInvalidAsync(object body, string field)
        {
            var answer = (await system.Api.PutAsync($"/v1/users/{userId}/devices/d1", body, credential)).Expect(HttpStatusCode.BadRequest);
            Assert.Equal("validation_failed", answer.Code);
            Assert.True(answer.Body.GetProperty("errors").TryGetProperty(field, out _), $"{field} named in {answer.Text}");
        }

        await ExpectInvalidAsync(new { platform = "mqtt", appId, terminalType = 2, token }, "platform");
        await ExpectInvalidAsync(new { platform = "apns", appId, terminalType = 3, token }, "terminalType");
        await ExpectInvalidAsync(new { platform = "apns", appId, terminalType = 2, token = "not hex!" }, "token");
        await ExpectInvalidAsync(new { platform = "webpush", appId, terminalType = 8 }, "subscription");
        await ExpectInvalidAsync(new
        {
            platform = "webpush", appId, terminalType = 8,
            subscription = new { endpoint = "http://push.example/x", keys = new { p256dh = subscription.P256dh, auth = subscription.Auth } },
        }, "subscription.endpoint");
        await ExpectInvalidAsync(new
        {
            platform = "webpush", appId, terminalType = 8,
            subscription = new { endpoint = subscription.Endpoint, keys = new { p256dh = "BAAA", auth = subscription.Auth } },
        }, "subscription.keys.p256dh");
        await ExpectInvalidAsync(new
        {
            platform = "webpush", appId, terminalType = 8,
            subscription = new { endpoint = subscription.Endpoint, keys = new { p256dh = subscription.P256dh, auth = "c2hvcnQ" } },
        }, "subscription.keys.auth");

        var (otherTenant, _) = await system.NewUserAsync();
        var (otherApp, _) = await system.NewAppAsync(otherTenant);
        Assert.Equal("not_found", (await system.Api.PutAsync($"/v1/users/{userId}/devices/d1", new { platform = "apns", appId = otherApp, terminalType = 2, token }, system.AdminKey))
            .Expect(HttpStatusCode.NotFound).Code);
        Assert.Equal(0, (await system.Api.GetAsync($"/v1/users/{userId}/devices", credential)).Body.GetProperty("devices").GetArrayLength());
    }

    [Fact]
    public async Task Credentials_are_stored_encrypted_never_read_back_and_malformed_keys_are_refused()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ecKey.ExportPkcs8PrivateKeyPem();

        var bad = (await system.Api.PutAsync($"/v1/apps/{appId}/push/apns", new { keyId = "K1", teamId = "T1", topic = "a.b", privateKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, credential))
            .Expect(HttpStatusCode.BadRequest);
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("privateKey", out _), bad.Text);
        using var rsa = RSA.Create(2048);
        var badAccount = (await system.Api.PutAsync($"/v1/apps/{appId}/push/fcm", new
        {
            serviceAccount = new { type = "service_account", project_id = "p", client_email = "a@p.iam.gserviceaccount.com", private_key = "nope", token_uri = "https://oauth2.googleapis.com/token" },
        }, credential)).Expect(HttpStatusCode.BadRequest);
        Assert.True(badAccount.Body.GetProperty("errors").TryGetProperty("serviceAccount.private_key", out _), badAccount.Text);
        await using (var connection = new NpgsqlConnection(system.Deployment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var none = new NpgsqlCommand("SELECT count(*) FROM push_credentials WHERE app_id = $1", connection) { Parameters = { new() { Value = appId } } };
            Assert.Equal(0L, (long)(await none.ExecuteScalarAsync())!);
        }

        (await system.Api.PutAsync($"/v1/apps/{appId}/push/apns", new { keyId = "K1", teamId = "T1", topic = "a.b", privateKey = pem }, credential)).Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/apps/{appId}/push/fcm", new
        {
            serviceAccount = new { type = "service_account", project_id = "p", client_email = "a@p.iam.gserviceaccount.com", private_key = rsa.ExportPkcs8PrivateKeyPem(), token_uri = "https://oauth2.googleapis.com/token" },
        }, credential)).Expect(HttpStatusCode.NoContent);
        var publicKey = (await system.Api.GetAsync($"/v1/apps/{appId}/push/webpush", credential)).Expect(HttpStatusCode.OK)["publicKey"];
        Assert.Equal(65, Convert.FromBase64String(publicKey.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.Equal(publicKey, (await system.Api.GetAsync($"/v1/apps/{appId}/push/webpush", system.AdminKey)).Expect(HttpStatusCode.OK)["publicKey"]);

        await using (var connection = new NpgsqlConnection(system.Deployment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT platform, secret FROM push_credentials WHERE app_id = $1", connection) { Parameters = { new() { Value = appId } } };
            await using var rows = await read.ExecuteReaderAsync();
            var platforms = new List<string>();
            while (await rows.ReadAsync())
            {
                platforms.Add(rows.GetString(0));
                var secret = rows.GetString(1);
                Assert.StartsWith("aesgcm1:", secret, StringComparison.Ordinal);
                Assert.DoesNotContain("PRIVATE KEY", secret, StringComparison.Ordinal);
            }

            Assert.Equal(["apns", "fcm", "webpush"], platforms.Order());
        }

        // A user of the tenant may not touch them; nothing reads them back.
        var userToken = await system.LoginAsync(tenantId, userId);
        Assert.Equal("not_found", (await system.Api.PutAsync($"/v1/apps/{appId}/push/apns", new { keyId = "K1", teamId = "T1", topic = "a.b", privateKey = pem }, userToken))
            .Expect(HttpStatusCode.NotFound).Code);
        Assert.NotEqual(HttpStatusCode.OK, (await system.Api.GetAsync($"/v1/apps/{appId}/push/apns", credential)).Status);
    }
}
