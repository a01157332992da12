using System.Net;
using System.Text.Json;
using AppMsg.Grains.Directory;
using AppMsg.Testing;
using Npgsql;

namespace AppMsg.Directory.Tests;

/// <summary><c>GET /v1/tenants</c>: every tenant for the operator, searched by name and paged; older tenants copied in at silo start.</summary>
public sealed class TenantListTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task The_operator_pages_through_tenants_by_name_and_searches_by_name_prefix_whatever_its_case()
    {
        var prefix = "lst" + Guid.NewGuid().ToString("N")[..6];
        var zeta = await seed.TenantAsync($"{prefix} Zeta");
        var alpha = await seed.TenantAsync($"{prefix} alpha");
        var beta = await seed.TenantAsync($"{prefix.ToUpperInvariant()} Beta");
        await seed.TenantAsync("other " + prefix);

        var first = (await Api.GetAsync($"/v1/tenants?search={prefix.ToUpperInvariant()}&limit=2", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal([alpha, beta], Ids(first));
        Assert.Equal($"{prefix} alpha", first.Body.GetProperty("tenants")[0].GetProperty("name").GetString());
        Assert.False(first.Body.GetProperty("tenants")[0].GetProperty("disabled").GetBoolean());
        Assert.True(first.Body.GetProperty("tenants")[0].GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var next = first["next"];
        var second = (await Api.GetAsync($"/v1/tenants?search={prefix}&limit=2&after={Uri.EscapeDataString(next)}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal([zeta], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.Body.GetProperty("next").ValueKind);

        // With no search every tenant is listed: the three above among them.
        var all = new List<string>();
        string? after = null;
        do
        {
            var page = (await Api.GetAsync($"/v1/tenants?limit=3{(after is null ? "" : "&after=" + Uri.EscapeDataString(after))}", system.AdminKey)).Expect(HttpStatusCode.OK);
            all.AddRange(Ids(page));
            after = page.Body.GetProperty("next").GetString();
        }
        while (after is not null);
        Assert.Superset(new HashSet<string> { zeta, alpha, beta }, all.ToHashSet());
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task Only_the_operator_lists_tenants_and_bad_paging_is_a_validation_failure()
    {
        var tenantId = await seed.TenantAsync("lister");
        var (_, app) = await seed.AppAsync(tenantId);
        await seed.UserAsync(tenantId, "lister-user");
        var token = await seed.LoginAsync(tenantId, "lister-user");

        Assert.Equal("forbidden", (await Api.GetAsync("/v1/tenants", app)).Expect(HttpStatusCode.Forbidden).Code);
        Assert.Equal("forbidden", (await Api.GetAsync("/v1/tenants", token)).Expect(HttpStatusCode.Forbidden).Code);
        (await Api.GetAsync("/v1/tenants")).Expect(HttpStatusCode.Unauthorized);
        Assert.Equal("validation_failed", (await Api.GetAsync("/v1/tenants?limit=0", system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("validation_failed", (await Api.GetAsync("/v1/tenants?limit=501", system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("validation_failed", (await Api.GetAsync("/v1/tenants?after=bm90LWEtY3Vyc29y", system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("validation_failed", (await Api.GetAsync("/v1/tenants?after=!!", system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("validation_failed", (await Api.GetAsync("/v1/tenants?search=a%00", system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
    }

    [Fact]
    public async Task Tenants_stored_before_the_list_existed_are_listed_after_a_silo_start()
    {
        var prefix = "old" + Guid.NewGuid().ToString("N")[..6];
        var plain = await seed.TenantAsync($"{prefix} plain");
        var disabled = await seed.TenantAsync($"{prefix} disabled");
        (await Api.PatchAsync($"/v1/tenants/{disabled}", new { disabled = true }, system.AdminKey)).Expect(HttpStatusCode.OK);
        // Ids made only of 0-9 and a-f: Orleans stores such a key as a number, not as text; one with the top bit set.
        var hexLow = "0" + RandomHex(15);
        var hexHigh = "f" + RandomHex(15);
        await system.Cluster.GetGrain<ITenantGrain>(hexLow).CreateAsync($"{prefix} hex low");
        await system.Cluster.GetGrain<ITenantGrain>(hexHigh).CreateAsync($"{prefix} hex high");
        var before = Tenants((await Api.GetAsync($"/v1/tenants?search={prefix}", system.AdminKey)).Expect(HttpStatusCode.OK));
        Assert.Equal(4, before.Count);

        // As a deployment from before migration 18 left them: grain state only, no list rows.
        await using (var connection = new NpgsqlConnection(system.Deployment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM dir_tenants WHERE name LIKE @prefix", connection);
            delete.Parameters.AddWithValue("prefix", prefix + "%");
            Assert.Equal(4, await delete.ExecuteNonQueryAsync());
        }

        Assert.Empty(Tenants((await Api.GetAsync($"/v1/tenants?search={prefix}", system.AdminKey)).Expect(HttpStatusCode.OK)));

        await system.RestartAsync();
        await system.SiloServices<TenantBackfill>().Done.WaitAsync(TimeSpan.FromSeconds(30));

        var after = Tenants((await Api.GetAsync($"/v1/tenants?search={prefix}", system.AdminKey)).Expect(HttpStatusCode.OK));
        Assert.Equal(before.Select(t => (t.Id, t.Name, t.Disabled)), after.Select(t => (t.Id, t.Name, t.Disabled)));
        // Creation times come back from the grain state (its JSON holds ticks, the table microseconds).
        Assert.All(before.Zip(after), pair => Assert.True((pair.First.CreatedAt - pair.Second.CreatedAt).Duration() < TimeSpan.FromMilliseconds(1)));
        Assert.Equal(new HashSet<string> { plain, disabled, hexLow, hexHigh }, after.Select(t => t.Id).ToHashSet());
        Assert.True(after.Single(t => t.Id == disabled).Disabled);
        Assert.Equal($"{prefix} hex high", after.Single(t => t.Id == hexHigh).Name);
        // The copy adds only what is missing: a second run adds nothing.
        Assert.Equal(0, await system.SiloServices<TenantBackfill>().RunOnceAsync());
    }

    private static List<string> Ids(ApiClient.Response page) =>
        [.. page.Body.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];

    private static List<TenantSummary> Tenants(ApiClient.Response page) =>
        [.. page.Body.GetProperty("tenants").EnumerateArray().Select(t => new TenantSummary(
            t.GetProperty("id").GetString()!, t.GetProperty("name").GetString()!, t.GetProperty("disabled").GetBoolean(),
            t.GetProperty("createdAt").GetDateTimeOffset()))];

    private static string RandomHex(int length) => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(length))[..length];
}
