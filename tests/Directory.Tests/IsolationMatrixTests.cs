using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>
/// Each credential of tenant B against each kind of tenant-A resource the routes expose: every cell is
/// denied, no answer carries A's data, and A is unchanged afterwards.
/// </summary>
public sealed partial class IsolationMatrixTests(RunningSystem system, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    private sealed record World(
        string TenantA, string AppA, string AppACredential, string UserA1, string UserA2, string UserA3, string UserA1Token,
        string TenantB, string AppB, string AppBCredential, string UserB, string UserBToken, string[] SecretsOfA, string MessageA, string MediaA);

    private sealed record Cell(string Name, HttpMethod Method, string Path, object? Body, HttpStatusCode Expected);

    [Fact]
    public async Task Every_credential_of_tenant_B_is_denied_every_resource_of_tenant_A()
    {
        var w = await BuildWorldAsync();
        var failures = new List<string>();
        foreach (var (who, credential) in new[] { ("app of B", w.AppBCredential), ("user of B", w.UserBToken) })
        {
            foreach (var cell in CellsAgainstA(w))
            {
                var answer = await Api.SendAsync(cell.Method, cell.Path, cell.Body, credential);
                Check(failures, $"{who} / {cell.Name}", answer, cell.Expected, w.SecretsOfA);
            }

            // B's own user, reaching for A's users through B's contacts.
            var crossContact = await Api.PutAsync($"/v1/users/{w.UserB}/contacts/{w.UserA1}", new { remark = "x" }, credential);
            Check(failures, $"{who} / A's user as contact of B's user", crossContact, HttpStatusCode.NotFound, w.SecretsOfA);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        await AssertTenantAUnchangedAsync(w);
    }

    [Fact]
    public async Task A_user_sees_only_itself_and_an_app_only_its_own_tenants_apps()
    {
        var w = await BuildWorldAsync();
        var failures = new List<string>();
        var userA2Data = new[] { w.UserA2, "alpha-bea", "Alpha Bea", "alpha remark" };
        var sameTenantCells = new[]
        {
            new Cell("GET another user", HttpMethod.Get, $"/v1/users/{w.UserA2}", null, HttpStatusCode.NotFound),
            new Cell("PATCH another user", HttpMethod.Patch, $"/v1/users/{w.UserA2}", new { displayName = "pwned" }, HttpStatusCode.NotFound),
            new Cell("PUT another user's password", HttpMethod.Put, $"/v1/users/{w.UserA2}/password", new { password = "pwned-password" }, HttpStatusCode.NotFound),
            new Cell("GET another user's contacts", HttpMethod.Get, $"/v1/users/{w.UserA2}/contacts", null, HttpStatusCode.NotFound),
            new Cell("GET another user's contact", HttpMethod.Get, $"/v1/users/{w.UserA2}/contacts/{w.UserA1}", null, HttpStatusCode.NotFound),
            new Cell("PUT another user's contact", HttpMethod.Put, $"/v1/users/{w.UserA2}/contacts/{w.UserA3}", new { remark = "pwned" }, HttpStatusCode.NotFound),
            new Cell("DELETE another user's contact", HttpMethod.Delete, $"/v1/users/{w.UserA2}/contacts/{w.UserA1}", null, HttpStatusCode.NotFound),
            new Cell("GET delivery of a message to another user", HttpMethod.Get, $"/v1/messages/{w.MessageA}/delivery", null, HttpStatusCode.NotFound),
            new Cell("GET media sent to another user", HttpMethod.Get, $"/v1/media/{w.MediaA}", null, HttpStatusCode.NotFound),
            new Cell("GET another user's conversations", HttpMethod.Get, $"/v1/users/{w.UserA2}/conversations", null, HttpStatusCode.NotFound),
            new Cell("mark another user's conversation read", HttpMethod.Post, $"/v1/users/{w.UserA2}/conversations/{w.UserA1}@user/read", new { seq = 1 }, HttpStatusCode.NotFound),
            new Cell("GET read count of a message of another sender", HttpMethod.Get, $"/v1/messages/{w.MessageA}/reads", null, HttpStatusCode.NotFound),
            new Cell("recall a message of another sender", HttpMethod.Post, $"/v1/messages/{w.MessageA}/recall", null, HttpStatusCode.Forbidden),
            new Cell("GET the app's quotas", HttpMethod.Get, $"/v1/apps/{w.AppA}/quotas", null, HttpStatusCode.NotFound),
            new Cell("kick another user's sessions", HttpMethod.Post, $"/v1/users/{w.UserA2}/kick", null, HttpStatusCode.NotFound),
        };
        foreach (var cell in sameTenantCells)
        {
            Check(failures, $"user A1 / {cell.Name}", await Api.SendAsync(cell.Method, cell.Path, cell.Body, w.UserA1Token), cell.Expected, userA2Data);
        }

        var appBData = new[] { w.AppB, w.TenantB, "bravo-app", "bravo-corp" };
        var appCells = new[]
        {
            new Cell("GET an app of B", HttpMethod.Get, $"/v1/apps/{w.AppB}", null, HttpStatusCode.NotFound),
            new Cell("rotate an app of B", HttpMethod.Post, $"/v1/apps/{w.AppB}/secret", null, HttpStatusCode.NotFound),
            new Cell("GET versions of an app of B", HttpMethod.Get, $"/v1/apps/{w.AppB}/versions", null, HttpStatusCode.NotFound),
            new Cell("GET latest version of an app of B", HttpMethod.Get, $"/v1/apps/{w.AppB}/versions/latest?terminalType=1&versionCode=1", null, HttpStatusCode.NotFound),
        };
        foreach (var cell in appCells)
        {
            Check(failures, $"app A / {cell.Name}", await Api.SendAsync(cell.Method, cell.Path, cell.Body, w.AppACredential), cell.Expected, appBData);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        var userA2 = (await Api.GetAsync($"/v1/users/{w.UserA2}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("Alpha Bea", userA2["displayName"]);
        await seed.LoginAsync(w.TenantA, "alpha-bea");
        (await Api.GetAsync($"/v1/apps/{w.AppB}", w.AppBCredential)).Expect(HttpStatusCode.OK);
    }

    private static IEnumerable<Cell> CellsAgainstA(World w) =>
    [
        new("GET tenant", HttpMethod.Get, $"/v1/tenants/{w.TenantA}", null, HttpStatusCode.NotFound),
        new("PUT tenant settings", HttpMethod.Put, $"/v1/tenants/{w.TenantA}/settings", new { allowAnonymousSessions = true }, HttpStatusCode.NotFound),
        new("POST user into tenant", HttpMethod.Post, "/v1/users", new { tenantId = w.TenantA, username = "intruder", password = "correct horse" }, HttpStatusCode.NotFound),
        new("GET user", HttpMethod.Get, $"/v1/users/{w.UserA1}", null, HttpStatusCode.NotFound),
        new("PATCH user", HttpMethod.Patch, $"/v1/users/{w.UserA1}", new { displayName = "pwned", status = "disabled" }, HttpStatusCode.NotFound),
        new("PUT user password", HttpMethod.Put, $"/v1/users/{w.UserA1}/password", new { password = "pwned-password" }, HttpStatusCode.NotFound),
        new("kick user's sessions", HttpMethod.Post, $"/v1/users/{w.UserA1}/kick", null, HttpStatusCode.NotFound),
        new("GET user list", HttpMethod.Get, $"/v1/tenants/{w.TenantA}/users", null, HttpStatusCode.NotFound),
        new("GET user list by prefix", HttpMethod.Get, $"/v1/tenants/{w.TenantA}/users?prefix=alpha", null, HttpStatusCode.NotFound),
        new("GET app", HttpMethod.Get, $"/v1/apps/{w.AppA}", null, HttpStatusCode.NotFound),
        new("rotate app secret", HttpMethod.Post, $"/v1/apps/{w.AppA}/secret", null, HttpStatusCode.NotFound),
        new("POST app (operator only)", HttpMethod.Post, "/v1/apps", new { tenantId = w.TenantA, name = "intruder-app" }, HttpStatusCode.Forbidden),
        new("POST tenant (operator only)", HttpMethod.Post, "/v1/tenants", new { name = "intruder-tenant" }, HttpStatusCode.Forbidden),
        new("GET contact list", HttpMethod.Get, $"/v1/users/{w.UserA1}/contacts", null, HttpStatusCode.NotFound),
        new("GET contact", HttpMethod.Get, $"/v1/users/{w.UserA1}/contacts/{w.UserA2}", null, HttpStatusCode.NotFound),
        new("PUT existing contact", HttpMethod.Put, $"/v1/users/{w.UserA1}/contacts/{w.UserA2}", new { remark = "pwned" }, HttpStatusCode.NotFound),
        new("PUT new contact", HttpMethod.Put, $"/v1/users/{w.UserA1}/contacts/{w.UserA3}", new { starred = true }, HttpStatusCode.NotFound),
        new("DELETE contact", HttpMethod.Delete, $"/v1/users/{w.UserA1}/contacts/{w.UserA2}", null, HttpStatusCode.NotFound),
        new("GET version list", HttpMethod.Get, $"/v1/apps/{w.AppA}/versions", null, HttpStatusCode.NotFound),
        new("GET latest version", HttpMethod.Get, $"/v1/apps/{w.AppA}/versions/latest?terminalType=1&versionCode=1", null, HttpStatusCode.NotFound),
        new("POST version", HttpMethod.Post, $"/v1/apps/{w.AppA}/versions",
            new { terminalType = 1, versionCode = 999, versionName = "evil", downloadUrl = "https://evil.example/x.apk" }, HttpStatusCode.NotFound),
        new("DELETE version", HttpMethod.Delete, $"/v1/apps/{w.AppA}/versions/1/100", null, HttpStatusCode.NotFound),
        new("GET tenant quotas", HttpMethod.Get, $"/v1/tenants/{w.TenantA}/quotas", null, HttpStatusCode.NotFound),
        new("PUT tenant quotas", HttpMethod.Put, $"/v1/tenants/{w.TenantA}/quotas", new { messagesPerDay = 0 }, HttpStatusCode.NotFound),
        new("GET app quotas", HttpMethod.Get, $"/v1/apps/{w.AppA}/quotas", null, HttpStatusCode.NotFound),
        new("PUT app quotas", HttpMethod.Put, $"/v1/apps/{w.AppA}/quotas", new { messagesPerDay = 0 }, HttpStatusCode.NotFound),
        new("GET tenant stats", HttpMethod.Get, $"/v1/stats?tenantId={w.TenantA}", null, HttpStatusCode.NotFound),
        new("GET app stats", HttpMethod.Get, $"/v1/stats?appId={w.AppA}", null, HttpStatusCode.NotFound),
        new("GET app stats naming B's tenant", HttpMethod.Get, $"/v1/stats?appId={w.AppA}&tenantId={w.TenantB}", null, HttpStatusCode.NotFound),
        new("GET message delivery state", HttpMethod.Get, $"/v1/messages/{w.MessageA}/delivery", null, HttpStatusCode.NotFound),
        new("GET media", HttpMethod.Get, $"/v1/media/{w.MediaA}", null, HttpStatusCode.NotFound),
        new("GET media with a forged signature", HttpMethod.Get, $"/v1/media/{w.MediaA}?exp=99999999999&sig=forged", null, HttpStatusCode.Forbidden),
        new("POST media into tenant A", HttpMethod.Post, $"/v1/media?tenantId={w.TenantA}", null, HttpStatusCode.NotFound),
        new("send a message referencing A's media", HttpMethod.Post, "/v1/messages",
            new { to = new[] { $"{w.UserB}@user" }, type = "file", content = new { mediaId = w.MediaA, name = "x", size = 1 } }, HttpStatusCode.BadRequest),
        new("GET conversations", HttpMethod.Get, $"/v1/users/{w.UserA1}/conversations", null, HttpStatusCode.NotFound),
        new("mark a conversation read", HttpMethod.Post, $"/v1/users/{w.UserA1}/conversations/{w.UserA2}@user/read", new { seq = 1 }, HttpStatusCode.NotFound),
        new("GET message read count", HttpMethod.Get, $"/v1/messages/{w.MessageA}/reads", null, HttpStatusCode.NotFound),
        new("recall a message", HttpMethod.Post, $"/v1/messages/{w.MessageA}/recall", null, HttpStatusCode.NotFound),
    ];

    private static void Check(List<string> failures, string cell, ApiClient.Response answer, HttpStatusCode expected, string[] secrets)
    {
        if (answer.Status != expected)
        {
            failures.Add($"{cell}: expected {(int)expected}, got {(int)answer.Status} {answer.Text}");
        }

        foreach (var secret in secrets.Where(s => answer.Text.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"{cell}: the answer contains '{secret}': {answer.Text}");
        }
    }

    private async Task<World> BuildWorldAsync()
    {
        var tenantA = (await Api.PostAsync("/v1/tenants", new { name = "alpha-corp" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var (appA, appACredential) = await seed.AppAsync(tenantA, "alpha-app");
        var userA1 = await UserAsync(tenantA, "alpha-ann", "Alpha Ann");
        var userA2 = await UserAsync(tenantA, "alpha-bea", "Alpha Bea");
        var userA3 = await UserAsync(tenantA, "alpha-cid", "Alpha Cid");
        var userA1Token = await seed.LoginAsync(tenantA, "alpha-ann");
        (await Api.PutAsync($"/v1/users/{userA1}/contacts/{userA2}", new { remark = "alpha remark" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        (await Api.PutAsync($"/v1/users/{userA2}/contacts/{userA1}", new { remark = "alpha remark" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        (await Api.PostAsync($"/v1/apps/{appA}/versions",
            new { terminalType = 1, versionCode = 100, versionName = "alpha-version", description = "alpha notes", downloadUrl = "https://alpha.example/a.apk" }, appACredential))
            .Expect(HttpStatusCode.Created);

        var tenantB = (await Api.PostAsync("/v1/tenants", new { name = "bravo-corp" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var (appB, appBCredential) = await seed.AppAsync(tenantB, "bravo-app");
        var userB = await UserAsync(tenantB, "bravo-bob", "Bravo Bob");
        var userBToken = await seed.LoginAsync(tenantB, "bravo-bob");

        var messageA = (await Api.PostAsync("/v1/messages", new { to = new[] { $"{userA2}@user" }, type = "text", content = new { text = "alpha message" } }, appACredential))
            .Expect(HttpStatusCode.OK).Body.GetProperty("results")[0].GetProperty("id").GetString()!;

        string[] secretsOfA = [tenantA, appA, userA1, userA2, userA3, "alpha", "https://alpha.example"];
        var mediaA = (await Api.SendRawAsync(HttpMethod.Post, "/v1/media", "alpha media bytes", appACredential, "text/plain")).Expect(HttpStatusCode.Created)["id"];
        (await Api.PostAsync("/v1/messages", new { to = new[] { $"{userA2}@user" }, type = "file", content = new { mediaId = mediaA, name = "alpha.txt", size = 17 } }, appACredential))
            .Expect(HttpStatusCode.OK);
        return new World(tenantA, appA, appACredential, userA1, userA2, userA3, userA1Token, tenantB, appB, appBCredential, userB, userBToken, secretsOfA, messageA, mediaA);
    }

    private async Task<string> UserAsync(string tenantId, string username, string displayName) =>
        (await Api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse", displayName }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];

    private async Task AssertTenantAUnchangedAsync(World w)
    {
        var admin = system.AdminKey;
        var tenant = (await Api.GetAsync($"/v1/tenants/{w.TenantA}", admin)).Expect(HttpStatusCode.OK);
        Assert.False(tenant.Body.GetProperty("settings").GetProperty("allowAnonymousSessions").GetBoolean());

        var users = (await Api.GetAsync($"/v1/tenants/{w.TenantA}/users", admin)).Expect(HttpStatusCode.OK);
        Assert.Equal(new[] { "alpha-ann", "alpha-bea", "alpha-cid" },
            users.Body.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()));

        var userA1 = (await Api.GetAsync($"/v1/users/{w.UserA1}", admin)).Expect(HttpStatusCode.OK);
        Assert.Equal("Alpha Ann", userA1["displayName"]);
        Assert.Equal("active", userA1["status"]);
        (await Api.GetAsync($"/v1/users/{w.UserA1}", w.UserA1Token)).Expect(HttpStatusCode.OK);
        await seed.LoginAsync(w.TenantA, "alpha-ann");

        (await Api.GetAsync($"/v1/apps/{w.AppA}", w.AppACredential)).Expect(HttpStatusCode.OK);

        var contacts = (await Api.GetAsync($"/v1/users/{w.UserA1}/contacts", admin)).Expect(HttpStatusCode.OK);
        var contact = Assert.Single(contacts.Body.GetProperty("contacts").EnumerateArray());
        Assert.Equal(w.UserA2, contact.GetProperty("contactId").GetString());
        Assert.Equal("alpha remark", contact.GetProperty("remark").GetString());
        Assert.False(contact.GetProperty("starred").GetBoolean());

        var versions = (await Api.GetAsync($"/v1/apps/{w.AppA}/versions", admin)).Expect(HttpStatusCode.OK);
        var version = Assert.Single(versions.Body.GetProperty("versions").EnumerateArray());
        Assert.Equal(100, version.GetProperty("versionCode").GetInt32());

        foreach (var quotas in new[] { $"/v1/tenants/{w.TenantA}/quotas", $"/v1/apps/{w.AppA}/quotas" })
        {
            var limits = (await Api.GetAsync(quotas, admin)).Expect(HttpStatusCode.OK).Body.GetProperty("limits");
            Assert.Equal(-1, limits.GetProperty("messagesPerDay").GetInt64());
        }
    }
}
