using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

public sealed class TenantAppApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task A_tenant_is_created_read_and_its_settings_replaced()
    {
        var created = (await Api.PostAsync("/v1/tenants", new { name = "  Globex  " }, system.AdminKey)).Expect(HttpStatusCode.Created);
        var tenantId = created["id"];
        Assert.True(Ids.IsValid(tenantId), tenantId);
        Assert.Equal("Globex", created["name"]);
        Assert.Equal("true", created.Body.GetProperty("settings").GetProperty("oneSessionPerTerminalType").GetRawText());

        var read = (await Api.GetAsync($"/v1/tenants/{tenantId}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("Globex", read["name"]);

        var (_, app) = await seed.AppAsync(tenantId);
        var updated = (await Api.PutAsync($"/v1/tenants/{tenantId}/settings",
            new { oneSessionPerTerminalType = false, androidIosExclusive = true, allowAnonymousSessions = true }, app)).Expect(HttpStatusCode.OK);
        Assert.Equal("false", updated.Body.GetProperty("settings").GetProperty("oneSessionPerTerminalType").GetRawText());

        var settings = (await Api.GetAsync($"/v1/tenants/{tenantId}", app)).Expect(HttpStatusCode.OK).Body.GetProperty("settings");
        Assert.False(settings.GetProperty("oneSessionPerTerminalType").GetBoolean());
        Assert.True(settings.GetProperty("androidIosExclusive").GetBoolean());
        Assert.True(settings.GetProperty("allowAnonymousSessions").GetBoolean());
    }

    [Fact]
    public async Task Users_read_their_tenant_but_do_not_manage_it_and_only_the_operator_creates_tenants()
    {
        var tenantId = await seed.TenantAsync("initech");
        await seed.UserAsync(tenantId, "peter");
        var token = await seed.LoginAsync(tenantId, "peter");
        var (_, app) = await seed.AppAsync(tenantId);

        Assert.Equal("initech", (await Api.GetAsync($"/v1/tenants/{tenantId}", token)).Expect(HttpStatusCode.OK)["name"]);
        var settingsByUser = await Api.PutAsync($"/v1/tenants/{tenantId}/settings", new { allowAnonymousSessions = true }, token);
        Assert.Equal(HttpStatusCode.Forbidden, settingsByUser.Status);
        Assert.Equal("forbidden", settingsByUser.Code);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync("/v1/tenants", new { name = "by user" }, token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync("/v1/tenants", new { name = "by app" }, app)).Status);
        var settings = (await Api.GetAsync($"/v1/tenants/{tenantId}", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("settings");
        Assert.False(settings.GetProperty("allowAnonymousSessions").GetBoolean());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("LONG")]
    public async Task Bad_tenant_names_get_a_validation_problem(string name)
    {
        var refused = await Api.PostAsync("/v1/tenants", new { name = name == "LONG" ? new string('t', 101) : name }, system.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty("name", out _), refused.Text);
    }

    [Fact]
    public async Task Unknown_tenants_are_not_found()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/tenants/{Ids.New()}", system.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/v1/tenants/NOT-AN-ID", system.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PutAsync($"/v1/tenants/{Ids.New()}/settings", new { allowAnonymousSessions = true }, system.AdminKey)).Status);
    }

    [Fact]
    public async Task An_app_is_created_with_a_secret_shown_once_and_its_secret_is_rotated()
    {
        var tenantId = await seed.TenantAsync();
        var created = (await Api.PostAsync("/v1/apps", new { tenantId, name = "crm", webhookUrl = "https://crm.example/hook" }, system.AdminKey))
            .Expect(HttpStatusCode.Created);
        var appId = created["id"];
        var secret = created["secret"];
        Assert.Equal(32, secret.Length);
        Assert.Equal("crm", created["name"]);
        Assert.Equal(tenantId, created["tenantId"]);
        var credential = $"{appId}:{secret}";

        foreach (var reader in new[] { system.AdminKey, credential })
        {
            var read = (await Api.GetAsync($"/v1/apps/{appId}", reader)).Expect(HttpStatusCode.OK);
            Assert.Equal("https://crm.example/hook", read["webhookUrl"]);
            Assert.False(read.Body.TryGetProperty("secret", out _), read.Text);
            Assert.DoesNotContain(secret, read.Text, StringComparison.Ordinal);
        }

        // Rotated with no overlap (as after a leak): the old secret stops at once (CredentialLifecycleTests: the overlap).
        var rotated = (await Api.PostAsync($"/v1/apps/{appId}/secret?overlapSeconds=0", null, credential)).Expect(HttpStatusCode.OK);
        var newSecret = rotated["secret"];
        Assert.Equal(32, newSecret.Length);
        Assert.NotEqual(secret, newSecret);

        var old = await Api.GetAsync($"/v1/apps/{appId}", credential);
        Assert.Equal(HttpStatusCode.Unauthorized, old.Status);
        Assert.Equal("unauthorized", old.Code);
        (await Api.GetAsync($"/v1/apps/{appId}", $"{appId}:{newSecret}")).Expect(HttpStatusCode.OK);

        var byOperator = (await Api.PostAsync($"/v1/apps/{appId}/secret?overlapSeconds=0", null, system.AdminKey)).Expect(HttpStatusCode.OK)["secret"];
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync($"/v1/apps/{appId}", $"{appId}:{newSecret}")).Status);
        (await Api.GetAsync($"/v1/apps/{appId}", $"{appId}:{byOperator}")).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("", null, "name")]
    [InlineData("crm", "not a url", "webhookUrl")]
    [InlineData("crm", "ftp://crm.example/hook", "webhookUrl")]
    public async Task Bad_app_fields_get_a_validation_problem_naming_the_field(string name, string? webhookUrl, string field)
    {
        var tenantId = await seed.TenantAsync();

        var refused = await Api.PostAsync("/v1/apps", new { tenantId, name, webhookUrl }, system.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task An_app_for_an_unknown_tenant_is_not_found_and_a_missing_tenant_is_a_validation_problem()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync("/v1/apps", new { tenantId = Ids.New(), name = "crm" }, system.AdminKey)).Status);
        var missing = await Api.PostAsync("/v1/apps", new { name = "crm" }, system.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.True(missing.Body.GetProperty("errors").TryGetProperty("tenantId", out _), missing.Text);
    }

    [Fact]
    public async Task A_tenants_apps_are_listed_page_by_page_to_the_operator_and_its_apps_only()
    {
        var tenantId = await seed.TenantAsync();
        var apps = new List<(string Id, string Credential)>();
        for (var i = 0; i < 3; i++)
        {
            apps.Add(await seed.AppAsync(tenantId, $"app {i}"));
        }

        var otherTenant = await seed.TenantAsync("other");
        var (_, otherApp) = await seed.AppAsync(otherTenant);
        await seed.UserAsync(tenantId, "lister");
        var user = await seed.LoginAsync(tenantId, "lister");

        var first = (await Api.GetAsync($"/v1/tenants/{tenantId}/apps?limit=2", system.AdminKey)).Expect(HttpStatusCode.OK).Body;
        var next = first.GetProperty("next").GetString();
        Assert.NotNull(next);
        var second = (await Api.GetAsync($"/v1/tenants/{tenantId}/apps?limit=2&after={Uri.EscapeDataString(next)}", apps[0].Credential)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next").ValueKind);
        var listed = first.GetProperty("apps").EnumerateArray().Concat(second.GetProperty("apps").EnumerateArray()).ToList();
        Assert.Equal(apps.Select(a => a.Id).Order(), listed.Select(a => a.GetProperty("id").GetString()));
        Assert.Equal("app 1", listed.Single(a => a.GetProperty("id").GetString() == apps[1].Id).GetProperty("name").GetString());
        Assert.All(listed, a => Assert.False(a.TryGetProperty("secret", out _)));

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync($"/v1/tenants/{tenantId}/apps", user)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/tenants/{tenantId}/apps", otherApp)).Status);
        Assert.Equal(ErrorCodes.ValidationFailed, (await Api.GetAsync($"/v1/tenants/{tenantId}/apps?after=%25%25", system.AdminKey)).Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await Api.GetAsync($"/v1/tenants/{tenantId}/apps?limit=0", system.AdminKey)).Code);
    }

    [Fact]
    public async Task An_app_credential_reaches_only_its_own_tenant()
    {
        var home = await seed.TenantAsync("home");
        var away = await seed.TenantAsync("away-tenant-name");
        var (appId, app) = await seed.AppAsync(home);
        var awayUser = await seed.UserAsync(away, "away-user");

        (await Api.GetAsync($"/v1/tenants/{home}", app)).Expect(HttpStatusCode.OK);
        (await Api.PostAsync("/v1/users", new { tenantId = home, username = "local", password = "correct horse" }, app)).Expect(HttpStatusCode.Created);
        (await Api.GetAsync($"/v1/tenants/{home}/users", app)).Expect(HttpStatusCode.OK);
        (await Api.GetAsync($"/v1/apps/{appId}", app)).Expect(HttpStatusCode.OK);

        var denied = new[]
        {
            await Api.GetAsync($"/v1/tenants/{away}", app),
            await Api.PostAsync("/v1/users", new { tenantId = away, username = "intruder", password = "correct horse" }, app),
            await Api.GetAsync($"/v1/tenants/{away}/users", app),
            await Api.GetAsync($"/v1/users/{awayUser}", app),
        };
        Assert.All(denied, d => Assert.Equal(HttpStatusCode.NotFound, d.Status));
        Assert.All(denied, d => Assert.DoesNotContain("away-", d.Text, StringComparison.Ordinal));
        Assert.Null(await system.Cluster.GetGrain<IDirectoryQueryGrain>(0).FindUserIdAsync(away, "intruder"));
    }

    [Fact]
    public async Task An_app_renames_itself_and_changes_its_webhook_but_not_another_apps()
    {
        var tenantId = await seed.TenantAsync();
        var (appId, credential) = await seed.AppAsync(tenantId, "first name");
        var (otherId, _) = await seed.AppAsync(tenantId, "other");

        var renamed = (await system.Api.PatchAsync($"/v1/apps/{appId}", new { name = "second name", webhookUrl = "https://hooks.example/appmsg" }, credential))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("second name", renamed["name"]);
        Assert.Equal("https://hooks.example/appmsg", renamed["webhookUrl"]);
        Assert.Equal("second name", (await system.Api.GetAsync($"/v1/apps/{appId}", system.AdminKey)).Expect(HttpStatusCode.OK)["name"]);

        var badUrl = await system.Api.PatchAsync($"/v1/apps/{appId}", new { webhookUrl = "ftp://nope" }, credential);
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.Status);
        Assert.True(badUrl.Body.GetProperty("errors").TryGetProperty("webhookUrl", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.PatchAsync($"/v1/apps/{otherId}", new { name = "hijacked" }, credential)).Status);
        Assert.Equal("other", (await system.Api.GetAsync($"/v1/apps/{otherId}", system.AdminKey)).Expect(HttpStatusCode.OK)["name"]);
    }
}
