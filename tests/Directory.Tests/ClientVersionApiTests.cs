using System.Net;
using System.Text.Json;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

public sealed class ClientVersionApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task An_app_publishes_lists_and_withdraws_versions_and_devices_learn_of_updates()
    {
        var tenantId = await seed.TenantAsync();
        var (appId, app) = await seed.AppAsync(tenantId);
        await seed.UserAsync(tenantId, "device-user");
        var device = await seed.LoginAsync(tenantId, "device-user");

        var first = (await Api.PostAsync($"/v1/apps/{appId}/versions",
            new { terminalType = 1, versionCode = 100, versionName = "1.0.0", downloadUrl = "https://dl.example/a-100.apk" }, app))
            .Expect(HttpStatusCode.Created);
        Assert.Equal("100", first["versionCode"]);
        Assert.Equal("", first["description"]);
        (await Api.PostAsync($"/v1/apps/{appId}/versions",
            new { terminalType = 1, versionCode = 120, versionName = "1.2.0", description = "faster sync", downloadUrl = "https://dl.example/a-120.apk" }, app))
            .Expect(HttpStatusCode.Created);
        (await Api.PostAsync($"/v1/apps/{appId}/versions",
            new { terminalType = 2, versionCode = 5, versionName = "1.0", downloadUrl = "https://apps.example/ios" }, system.AdminKey))
            .Expect(HttpStatusCode.Created);

        Assert.Equal(new[] { "1/120", "1/100", "2/5" }, await VersionsAsync(appId, "", device));
        Assert.Equal(new[] { "1/120", "1/100" }, await VersionsAsync(appId, "?terminalType=1", app));

        var behind = (await Api.GetAsync($"/v1/apps/{appId}/versions/latest?terminalType=1&versionCode=100", device)).Expect(HttpStatusCode.OK);
        Assert.Equal("true", behind["updateAvailable"]);
        var latest = behind.Body.GetProperty("latest");
        Assert.Equal(120, latest.GetProperty("versionCode").GetInt32());
        Assert.Equal("1.2.0", latest.GetProperty("versionName").GetString());
        Assert.Equal("faster sync", latest.GetProperty("description").GetString());
        Assert.Equal("https://dl.example/a-120.apk", latest.GetProperty("downloadUrl").GetString());

        var current = (await Api.GetAsync($"/v1/apps/{appId}/versions/latest?terminalType=1&versionCode=120", device)).Expect(HttpStatusCode.OK);
        Assert.Equal("false", current["updateAvailable"]);
        Assert.Equal(120, current.Body.GetProperty("latest").GetProperty("versionCode").GetInt32());

        var nothingForWeb = (await Api.GetAsync($"/v1/apps/{appId}/versions/latest?terminalType=8&versionCode=0", device)).Expect(HttpStatusCode.OK);
        Assert.Equal("false", nothingForWeb["updateAvailable"]);
        Assert.Equal(JsonValueKind.Null, nothingForWeb.Body.GetProperty("latest").ValueKind);

        (await Api.DeleteAsync($"/v1/apps/{appId}/versions/1/120", app)).Expect(HttpStatusCode.NoContent);
        Assert.Equal("not_found", (await Api.DeleteAsync($"/v1/apps/{appId}/versions/1/120", app)).Expect(HttpStatusCode.NotFound).Code);
        var afterWithdrawal = (await Api.GetAsync($"/v1/apps/{appId}/versions/latest?terminalType=1&versionCode=100", device)).Expect(HttpStatusCode.OK);
        Assert.Equal("false", afterWithdrawal["updateAvailable"]);
        Assert.Equal(100, afterWithdrawal.Body.GetProperty("latest").GetProperty("versionCode").GetInt32());
        Assert.Equal(new[] { "1/100", "2/5" }, await VersionsAsync(appId, "", system.AdminKey));
    }

    [Fact]
    public async Task A_version_code_is_published_once_per_terminal_type()
    {
        var tenantId = await seed.TenantAsync();
        var (appId, app) = await seed.AppAsync(tenantId);
        var version = new { terminalType = 16, versionCode = 7, versionName = "7", downloadUrl = "http://dl.example/pc-7.zip" };
        (await Api.PostAsync($"/v1/apps/{appId}/versions", version, app)).Expect(HttpStatusCode.Created);

        var duplicate = await Api.PostAsync($"/v1/apps/{appId}/versions", version, app);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("conflict", duplicate.Code);

        (await Api.PostAsync($"/v1/apps/{appId}/versions", new { terminalType = 8, versionCode = 7, versionName = "7", downloadUrl = "http://dl.example/web" }, app))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(new[] { "8/7", "16/7" }, await VersionsAsync(appId, "", app));
    }

    [Fact]
    public async Task Only_the_app_itself_and_the_operator_change_versions_but_the_whole_tenant_reads_them()
    {
        var tenantId = await seed.TenantAsync();
        var (appId, app) = await seed.AppAsync(tenantId, "mobile");
        var (_, sibling) = await seed.AppAsync(tenantId, "billing");
        await seed.UserAsync(tenantId, "reader");
        var user = await seed.LoginAsync(tenantId, "reader");
        (await Api.PostAsync($"/v1/apps/{appId}/versions", new { terminalType = 1, versionCode = 3, versionName = "3", downloadUrl = "https://dl.example/3" }, app))
            .Expect(HttpStatusCode.Created);
        var another = new { terminalType = 1, versionCode = 4, versionName = "4", downloadUrl = "https://dl.example/4" };

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync($"/v1/apps/{appId}/versions", another, user)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync($"/v1/apps/{appId}/versions", another, sibling)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.DeleteAsync($"/v1/apps/{appId}/versions/1/3", user)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.DeleteAsync($"/v1/apps/{appId}/versions/1/3", sibling)).Status);

        Assert.Equal(new[] { "1/3" }, await VersionsAsync(appId, "", sibling));
        Assert.Equal(new[] { "1/3" }, await VersionsAsync(appId, "", user));
        (await Api.GetAsync($"/v1/apps/{appId}/versions/latest?terminalType=1&versionCode=1", sibling)).Expect(HttpStatusCode.OK);
        (await Api.DeleteAsync($"/v1/apps/{appId}/versions/1/3", system.AdminKey)).Expect(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData(3, 1, "1.0", "https://dl.example/x", null, "terminalType")]
    [InlineData(0, 1, "1.0", "https://dl.example/x", null, "terminalType")]
    [InlineData(null, 1, "1.0", "https://dl.example/x", null, "terminalType")]
    [InlineData(1, 0, "1.0", "https://dl.example/x", null, "versionCode")]
    [InlineData(1, -5, "1.0", "https://dl.example/x", null, "versionCode")]
    [InlineData(1, null, "1.0", "https://dl.example/x", null, "versionCode")]
    [InlineData(1, 1, "  ", "https://dl.example/x", null, "versionName")]
    [InlineData(1, 1, "1.0", "ftp://dl.example/x", null, "downloadUrl")]
    [InlineData(1, 1, "1.0", "dl.example/x", null, "downloadUrl")]
    [InlineData(1, 1, "1.0", null, null, "downloadUrl")]
    [InlineData(1, 1, "1.0", "https://dl.example/x", 2001, "description")]
    public async Task Bad_version_fields_get_a_validation_problem_naming_the_field(
        int? terminalType, int? versionCode, string? versionName, string? downloadUrl, int? descriptionLength, string field)
    {
        var tenantId = await seed.TenantAsync();
        var (appId, app) = await seed.AppAsync(tenantId);
        var description = descriptionLength is { } n ? new string('d', n) : null;

        var refused = await Api.PostAsync($"/v1/apps/{appId}/versions", new { terminalType, versionCode, versionName, downloadUrl, description }, app);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("validation_failed", refused.Code);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
        Assert.Empty(await VersionsAsync(appId, "", app));
    }

    [Theory]
    [InlineData("/latest?terminalType=3&versionCode=1", "terminalType")]
    [InlineData("/latest?versionCode=1", "terminalType")]
    [InlineData("/latest?terminalType=1&versionCode=abc", "versionCode")]
    [InlineData("/latest?terminalType=1", "versionCode")]
    [InlineData("/latest?terminalType=1&versionCode=-1", "versionCode")]
    [InlineData("?terminalType=web", "terminalType")]
    public async Task Bad_queries_get_a_validation_problem_naming_the_field(string query, string field)
    {
        var tenantId = await seed.TenantAsync();
        var (appId, app) = await seed.AppAsync(tenantId);

        var refused = await Api.GetAsync($"/v1/apps/{appId}/versions{query}", app);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task Unknown_apps_are_not_found()
    {
        var refused = new[]
        {
            await Api.GetAsync($"/v1/apps/{Ids.New()}/versions", system.AdminKey),
            await Api.GetAsync($"/v1/apps/{Ids.New()}/versions/latest?terminalType=1&versionCode=1", system.AdminKey),
            await Api.PostAsync($"/v1/apps/{Ids.New()}/versions", new { terminalType = 1, versionCode = 1, versionName = "1", downloadUrl = "https://x.example" }, system.AdminKey),
            await Api.DeleteAsync("/v1/apps/not-an-id/versions/1/1", system.AdminKey),
        };

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.NotFound, r.Status));
        Assert.All(refused, r => Assert.Equal("not_found", r.Code));
    }

    private async Task<List<string>> VersionsAsync(string appId, string query, string credential)
    {
        var list = (await Api.GetAsync($"/v1/apps/{appId}/versions{query}", credential)).Expect(HttpStatusCode.OK);
        return [.. list.Body.GetProperty("versions").EnumerateArray()
            .Select(v => $"{v.GetProperty("terminalType").GetInt32()}/{v.GetProperty("versionCode").GetInt32()}")];
    }
}
