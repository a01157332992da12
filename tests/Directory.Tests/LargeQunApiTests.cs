using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>
/// Quns at their default limit (2,000 members) created in one call, and bulk adds, on a private PostgreSQL
/// with its default <c>max_connections</c> (100): the silo and the edge stay within their connection budgets.
/// </summary>
public sealed class LargeQunApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const int DefaultMaxMembers = 2_000;

    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task The_test_server_runs_with_the_default_max_connections()
    {
        Assert.Null(system.Postgres.MaxConnections);
        await using var connection = new Npgsql.NpgsqlConnection(system.Postgres.AdminConnectionString);
        await connection.OpenAsync();
        await using var show = new Npgsql.NpgsqlCommand("SHOW max_connections", connection);
        Assert.Equal("100", await show.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Creating_a_qun_with_2000_members_answers_201_and_lists_every_member()
    {
        var tenantId = await seed.TenantAsync("big");
        var users = await UsersAsync(tenantId, DefaultMaxMembers);

        var clock = Stopwatch.StartNew();
        var created = (await Api.PostAsync("/v1/quns", new { tenantId, name = "everyone", ownerId = users[0], members = users.Skip(1).ToArray() }, system.AdminKey))
            .Expect(HttpStatusCode.Created);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"creating the qun took {clock.Elapsed}");
        Assert.Equal(DefaultMaxMembers, created.Body.GetProperty("memberCount").GetInt32());

        var listed = await AllMembersAsync(created["id"]);
        Assert.Equal(users.Order(StringComparer.Ordinal), listed);

        // Every member's own list names the qun: the user grains were all written.
        foreach (var user in new[] { users[0], users[1], users[^1] })
        {
            var quns = (await Api.GetAsync($"/v1/users/{user}/quns", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("quns");
            Assert.Equal(created["id"], Assert.Single(quns.EnumerateArray()).GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Members_are_added_in_bulk_up_to_the_limit_per_call()
    {
        var tenantId = await seed.TenantAsync("bulk");
        var users = await UsersAsync(tenantId, 1_201);
        var qunId = (await Api.PostAsync("/v1/quns", new { tenantId, name = "growing", ownerId = users[0] }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];

        (await Api.PostAsync($"/v1/quns/{qunId}/members", new { userIds = users.Skip(1).Take(600).ToArray() }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        // Members already in the qun are left as they are.
        (await Api.PostAsync($"/v1/quns/{qunId}/members", new { userIds = users.Skip(301).ToArray() }, system.AdminKey)).Expect(HttpStatusCode.NoContent);

        var qun = (await Api.GetAsync($"/v1/quns/{qunId}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(users.Length, qun.Body.GetProperty("memberCount").GetInt32());
        Assert.Equal(users.Order(StringComparer.Ordinal), await AllMembersAsync(qunId));

        // More ids than one call takes is refused before anything is looked up.
        var tooMany = Enumerable.Range(0, 5_001).Select(i => $"{i + 1}").ToArray();
        var refused = await Api.PostAsync($"/v1/quns/{qunId}/members", new { userIds = tooMany }, system.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("validation_failed", refused.Code);
        Assert.Contains("5000", refused["title"].Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private async Task<string[]> UsersAsync(string tenantId, int count)
    {
        var users = new ConcurrentDictionary<int, string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            users[i] = await seed.UserAsync(tenantId, $"member{i:D5}"));
        return [.. Enumerable.Range(0, count).Select(i => users[i])];
    }

    private async Task<List<string>> AllMembersAsync(string qunId)
    {
        var members = new List<string>();
        string? next = null;
        do
        {
            var page = (await Api.GetAsync($"/v1/quns/{qunId}/members?limit=500{(next is null ? "" : $"&after={Uri.EscapeDataString(next)}")}", system.AdminKey))
                .Expect(HttpStatusCode.OK);
            members.AddRange(page.Body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetString()!));
            next = page.Body.GetProperty("next").GetString();
        }
        while (next is not null);
        return members;
    }
}
