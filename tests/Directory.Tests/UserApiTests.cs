using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

public sealed class UserApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task A_user_is_created_logs_in_reads_itself_and_logs_out()
    {
        var tenantId = await seed.TenantAsync();
        var created = (await Api.PostAsync("/v1/users", new { tenantId, username = "Alice", password = "s3cret-pass", displayName = "Alice A." }, system.AdminKey))
            .Expect(HttpStatusCode.Created);
        var userId = created["id"];
        Assert.Equal("Alice A.", created["displayName"]);
        Assert.DoesNotContain("s3cret", created.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("password", created.Text, StringComparison.OrdinalIgnoreCase);

        var login = (await Api.PostAsync("/v1/auth/login", new { tenantId, username = "alice", password = "s3cret-pass", terminalType = 2 }))
            .Expect(HttpStatusCode.OK);
        var token = login["token"];
        Assert.Equal(32, token.Length);
        Assert.Equal(userId, login["userId"]);
        Assert.Equal($"127.0.0.1:{system.EdgeSettings.TcpPort}", login.Body.GetProperty("edge").GetProperty("tcp").GetString());

        var me = (await Api.GetAsync($"/v1/users/{userId}", token)).Expect(HttpStatusCode.OK);
        Assert.Equal("Alice", me["username"]);
        Assert.Equal("active", me["status"]);

        var renamed = (await Api.PatchAsync($"/v1/users/{userId}", new { displayName = "Alice B.", avatarUrl = "https://img.example/a.png" }, token))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("Alice B.", renamed["displayName"]);

        (await Api.PostAsync("/v1/auth/logout", null, token)).Expect(HttpStatusCode.NoContent);
        var afterLogout = await Api.GetAsync($"/v1/users/{userId}", token);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.Status);
        Assert.Equal("unauthorized", afterLogout.Code);
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_alike()
    {
        var tenantId = await seed.TenantAsync();
        await seed.UserAsync(tenantId, "bob");

        var wrongPassword = await Api.PostAsync("/v1/auth/login", new { tenantId, username = "bob", password = "not the password", terminalType = 1 });
        var unknownUser = await Api.PostAsync("/v1/auth/login", new { tenantId, username = "nobody", password = "not the password", terminalType = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.Status);
        Assert.Equal(wrongPassword["title"], unknownUser["title"]);
        Assert.Equal("application/problem+json", wrongPassword.ContentType);
    }

    [Fact]
    public async Task A_disabled_user_cannot_log_in_and_its_tokens_stop_working()
    {
        var tenantId = await seed.TenantAsync();
        var userId = await seed.UserAsync(tenantId, "carol");
        var token = await seed.LoginAsync(tenantId, "carol");

        (await Api.PatchAsync($"/v1/users/{userId}", new { status = "disabled" }, system.AdminKey)).Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync($"/v1/users/{userId}", token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Api.PostAsync("/v1/auth/login", new { tenantId, username = "carol", password = "correct horse", terminalType = 1 })).Status);
    }

    [Fact]
    public async Task Usernames_are_unique_in_a_tenant_ignoring_case_but_not_across_tenants()
    {
        var first = await seed.TenantAsync();
        var second = await seed.TenantAsync();
        await seed.UserAsync(first, "dave");

        var duplicate = await Api.PostAsync("/v1/users", new { tenantId = first, username = "DAVE", password = "correct horse" }, system.AdminKey);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("conflict", duplicate.Code);

        (await Api.PostAsync("/v1/users", new { tenantId = second, username = "dave", password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("", "correct horse", "username")]
    [InlineData("has space", "correct horse", "username")]
    [InlineData("erin", "short", "password")]
    public async Task Bad_fields_get_a_validation_problem_naming_the_field(string username, string password, string field)
    {
        var tenantId = await seed.TenantAsync();

        var refused = await Api.PostAsync("/v1/users", new { tenantId, username, password }, system.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("validation_failed", refused.Code);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
    }

    [Fact]
    public async Task Malformed_json_and_missing_credentials_get_problems_not_500()
    {
        var garbage = await Api.SendRawAsync(HttpMethod.Post, "/v1/users", "{\"tenantId\": ", system.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.Equal("validation_failed", garbage.Code);

        var wrongType = await Api.SendRawAsync(HttpMethod.Post, "/v1/auth/login", "{\"terminalType\": \"many\"}", null);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);

        var anonymous = await Api.PostAsync("/v1/tenants", new { name = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("unauthorized", anonymous.Code);

        var forged = await Api.PostAsync("/v1/tenants", new { name = "x" }, "0123456789abcdef:not-a-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
    }

    [Fact]
    public async Task Users_of_a_tenant_are_listed_by_username_prefix_page_by_page()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        const int count = 2_000;
        var usernames = Enumerable.Range(0, count).Select(i => $"user{i:D4}").ToList();
        await Parallel.ForEachAsync(usernames, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) =>
            (await Api.PostAsync("/v1/users", new { tenantId, username = name, password = "correct horse" }, app)).Expect(HttpStatusCode.Created));

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await Api.GetAsync($"/v1/tenants/{tenantId}/users?limit=300{(after is null ? "" : $"&after={after}")}", app)).Expect(HttpStatusCode.OK);
            seen.AddRange(page.Body.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()!));
            after = page.Body.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        Assert.Equal(usernames, seen);
        Assert.Equal(7, pages);

        var prefixed = (await Api.GetAsync($"/v1/tenants/{tenantId}/users?prefix=USER19&limit=500", app)).Expect(HttpStatusCode.OK);
        Assert.Equal(100, prefixed.Body.GetProperty("users").GetArrayLength());
        Assert.Equal(JsonNull, prefixed.Body.GetProperty("next").ValueKind);

        var badCursor = await Api.GetAsync($"/v1/tenants/{tenantId}/users?after=!!!", app);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.Status);
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}
