using System.Net;
using System.Text.Json;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

public sealed class QunApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task A_qun_is_created_renamed_managed_handed_over_left_and_dissolved()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        var (alice, aliceToken) = await UserWithTokenAsync(tenantId, "alice");
        var (bob, bobToken) = await UserWithTokenAsync(tenantId, "bob");
        var (carol, carolToken) = await UserWithTokenAsync(tenantId, "carol");
        var dave = await seed.UserAsync(tenantId, "dave");

        var created = (await Api.PostAsync("/v1/quns", new { tenantId, name = " Team ", members = new[] { bob } }, aliceToken))
            .Expect(HttpStatusCode.Created);
        var qunId = created["id"];
        Assert.Equal("Team", created["name"]);
        Assert.Equal(alice, created["ownerId"]);
        Assert.Equal(tenantId, created["tenantId"]);
        Assert.Equal(2, created.Body.GetProperty("memberCount").GetInt32());
        Assert.Equal(2000, created.Body.GetProperty("maxMembers").GetInt32());

        (await Api.GetAsync($"/v1/quns/{qunId}", bobToken)).Expect(HttpStatusCode.OK);
        (await Api.GetAsync($"/v1/quns/{qunId}", app)).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/quns/{qunId}", carolToken)).Status);

        // A plain member may not rename; the owner may.
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PatchAsync($"/v1/quns/{qunId}", new { name = "Mine" }, bobToken)).Status);
        var renamed = (await Api.PatchAsync($"/v1/quns/{qunId}", new { name = "Core team", topic = "standup at 9" }, aliceToken)).Expect(HttpStatusCode.OK);
        Assert.Equal("Core team", renamed["name"]);
        Assert.Equal("standup at 9", renamed["topic"]);

        // Members: a plain member may not add; the owner makes bob an admin, who then may.
        var refused = await Api.PutAsync($"/v1/quns/{qunId}/members/{carol}", null, bobToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("forbidden", refused.Code);
        (await Api.PutAsync($"/v1/quns/{qunId}/members/{bob}/role", new { role = "admin" }, aliceToken)).Expect(HttpStatusCode.NoContent);
        (await Api.PutAsync($"/v1/quns/{qunId}/members/{carol}", null, bobToken)).Expect(HttpStatusCode.NoContent);
        (await Api.PutAsync($"/v1/quns/{qunId}/members/{dave}", null, app)).Expect(HttpStatusCode.NoContent);
        AssertMembers(await Api.GetAsync($"/v1/quns/{qunId}/members", carolToken), (alice, "owner"), (bob, "admin"), (carol, "member"), (dave, "member"));
        Assert.Contains($"{qunId}@qun", await Memberships(carol));

        // An admin may not remove the owner; nobody removes the owner; the owner cannot leave.
        Assert.Equal(HttpStatusCode.Conflict, (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{alice}", bobToken)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{alice}", aliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{dave}", carolToken)).Status);
        (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{dave}", bobToken)).Expect(HttpStatusCode.NoContent);
        Assert.DoesNotContain($"{qunId}@qun", await Memberships(dave));

        // Carol leaves by herself and stops seeing the qun.
        (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{carol}", carolToken)).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/quns/{qunId}", carolToken)).Status);
        Assert.DoesNotContain($"{qunId}@qun", await Memberships(carol));

        // Only the owner hands the qun over; then the old owner is an admin and may leave.
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync($"/v1/quns/{qunId}/owner", new { userId = bob }, bobToken)).Status);
        var handedOver = (await Api.PostAsync($"/v1/quns/{qunId}/owner", new { userId = bob }, aliceToken)).Expect(HttpStatusCode.OK);
        Assert.Equal(bob, handedOver["ownerId"]);
        AssertMembers(await Api.GetAsync($"/v1/quns/{qunId}/members", app), (alice, "admin"), (bob, "owner"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.DeleteAsync($"/v1/quns/{qunId}", aliceToken)).Status);
        (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{alice}", aliceToken)).Expect(HttpStatusCode.NoContent);

        Assert.Equal(new[] { (qunId, "owner") }, UserQuns(await Api.GetAsync($"/v1/users/{bob}/quns", bobToken)));
        (await Api.DeleteAsync($"/v1/quns/{qunId}", bobToken)).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/quns/{qunId}", app)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/quns/{qunId}", system.AdminKey)).Status);
        Assert.Empty(UserQuns(await Api.GetAsync($"/v1/users/{bob}/quns", bobToken)));
        Assert.DoesNotContain($"{qunId}@qun", await Memberships(bob));
    }

    [Fact]
    public async Task Apps_and_the_operator_create_quns_for_an_owner_and_manage_them()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        var owner = await seed.UserAsync(tenantId, "owner");
        var member = await seed.UserAsync(tenantId, "member");

        var withoutOwner = await Api.PostAsync("/v1/quns", new { tenantId, name = "x" }, app);
        Assert.Equal(HttpStatusCode.BadRequest, withoutOwner.Status);
        Assert.True(withoutOwner.Body.GetProperty("errors").TryGetProperty("ownerId", out _), withoutOwner.Text);

        var qunId = (await Api.PostAsync("/v1/quns", new { tenantId, name = "Support", ownerId = owner, members = new[] { member, member, owner }, maxMembers = 10 }, app))
            .Expect(HttpStatusCode.Created)["id"];
        var qun = (await Api.GetAsync($"/v1/quns/{qunId}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, qun.Body.GetProperty("memberCount").GetInt32());
        Assert.Equal(10, qun.Body.GetProperty("maxMembers").GetInt32());

        (await Api.PatchAsync($"/v1/quns/{qunId}", new { maxMembers = 50 }, system.AdminKey)).Expect(HttpStatusCode.OK);
        (await Api.PutAsync($"/v1/quns/{qunId}/members/{member}/role", new { role = "admin" }, app)).Expect(HttpStatusCode.NoContent);
        AssertMembers(await Api.GetAsync($"/v1/quns/{qunId}/members", app), (owner, "owner"), (member, "admin"));
        // The owner leaves only after a transfer, even when an app asks.
        Assert.Equal(HttpStatusCode.Conflict, (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{owner}", app)).Status);
        (await Api.PostAsync($"/v1/quns/{qunId}/owner", new { userId = member }, app)).Expect(HttpStatusCode.OK);
        (await Api.DeleteAsync($"/v1/quns/{qunId}/members/{owner}", app)).Expect(HttpStatusCode.NoContent);
        AssertMembers(await Api.GetAsync($"/v1/quns/{qunId}/members", app), (member, "owner"));
        (await Api.DeleteAsync($"/v1/quns/{qunId}", app)).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PutAsync($"/v1/quns/{qunId}/members/{owner}", null, app)).Status);
    }

    [Fact]
    public async Task Another_tenant_and_outsiders_get_404_and_plain_members_403()
    {
        var tenantA = await seed.TenantAsync("a");
        var tenantB = await seed.TenantAsync("b");
        var (_, appA) = await seed.AppAsync(tenantA);
        var (_, appB) = await seed.AppAsync(tenantB);
        var (owner, _) = await UserWithTokenAsync(tenantA, "owner");
        var (member, memberToken) = await UserWithTokenAsync(tenantA, "member");
        var (outsider, outsiderToken) = await UserWithTokenAsync(tenantA, "outsider");
        var (userB, userBToken) = await UserWithTokenAsync(tenantB, "mallory");
        var qunId = (await Api.PostAsync("/v1/quns", new { tenantId = tenantA, name = "Secret plans", ownerId = owner, members = new[] { member } }, appA))
            .Expect(HttpStatusCode.Created)["id"];

        foreach (var credential in new[] { appB, userBToken, outsiderToken })
        {
            var answers = new[]
            {
                await Api.GetAsync($"/v1/quns/{qunId}", credential),
                await Api.GetAsync($"/v1/quns/{qunId}/members", credential),
                await Api.PatchAsync($"/v1/quns/{qunId}", new { name = "mine" }, credential),
                await Api.PutAsync($"/v1/quns/{qunId}/members/{outsider}", null, credential),
                await Api.PutAsync($"/v1/quns/{qunId}/members/{userB}", null, credential),
                await Api.PostAsync($"/v1/quns/{qunId}/members", new { userIds = new[] { outsider } }, credential),
                await Api.DeleteAsync($"/v1/quns/{qunId}/members/{member}", credential),
                await Api.PutAsync($"/v1/quns/{qunId}/members/{member}/role", new { role = "admin" }, credential),
                await Api.PostAsync($"/v1/quns/{qunId}/owner", new { userId = member }, credential),
                await Api.DeleteAsync($"/v1/quns/{qunId}", credential),
                await Api.GetAsync($"/v1/users/{member}/quns", credential),
            };
            foreach (var answer in answers)
            {
                Assert.Equal(HttpStatusCode.NotFound, answer.Status);
                Assert.Equal("not_found", answer.Code);
                Assert.DoesNotContain("Secret plans", answer.Text, StringComparison.Ordinal);
            }
        }

        // Nothing changed: same members, same name.
        var qun = (await Api.GetAsync($"/v1/quns/{qunId}", appA)).Expect(HttpStatusCode.OK);
        Assert.Equal("Secret plans", qun["name"]);
        AssertMembers(await Api.GetAsync($"/v1/quns/{qunId}/members", appA), (owner, "owner"), (member, "member"));

        // A plain member sees the qun but may not add anyone.
        (await Api.GetAsync($"/v1/quns/{qunId}", memberToken)).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PutAsync($"/v1/quns/{qunId}/members/{outsider}", null, memberToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync($"/v1/quns/{qunId}/members", new { userIds = new[] { outsider } }, memberToken)).Status);

        // Quns are made in one's own tenant only, of its users only.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync("/v1/quns", new { tenantId = tenantA, name = "x", ownerId = owner }, appB)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync("/v1/quns", new { tenantId = tenantA, name = "x" }, userBToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync("/v1/quns", new { tenantId = tenantB, name = "x", ownerId = owner }, userBToken)).Status);
        var foreignOwner = await Api.PostAsync("/v1/quns", new { tenantId = tenantA, name = "x", ownerId = userB }, appA);
        Assert.Equal(HttpStatusCode.BadRequest, foreignOwner.Status);
        Assert.True(foreignOwner.Body.GetProperty("errors").TryGetProperty("ownerId", out _), foreignOwner.Text);
        var foreignMember = await Api.PostAsync("/v1/quns", new { tenantId = tenantA, name = "x", ownerId = owner, members = new[] { userB } }, appA);
        Assert.Equal(HttpStatusCode.BadRequest, foreignMember.Status);
        Assert.True(foreignMember.Body.GetProperty("errors").TryGetProperty("members", out _), foreignMember.Text);
        // Tenant A's app cannot pull tenant B's user into its qun.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PutAsync($"/v1/quns/{qunId}/members/{userB}", null, appA)).Status);
        Assert.Empty(await Memberships(userB));
    }

    [Fact]
    public async Task A_qun_over_its_member_limit_is_a_validation_problem()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        var users = new List<string>();
        foreach (var name in new[] { "u1", "u2", "u3", "u4" })
        {
            users.Add(await seed.UserAsync(tenantId, name));
        }

        var qunId = (await Api.PostAsync("/v1/quns", new { tenantId, name = "Small", ownerId = users[0], members = users[1..3], maxMembers = 3 }, app))
            .Expect(HttpStatusCode.Created)["id"];

        var over = await Api.PutAsync($"/v1/quns/{qunId}/members/{users[3]}", null, app);
        Assert.Equal(HttpStatusCode.BadRequest, over.Status);
        Assert.Equal("validation_failed", over.Code);
        Assert.True(over.Body.GetProperty("errors").TryGetProperty("members", out _), over.Text);
        Assert.Equal(3, Members(await Api.GetAsync($"/v1/quns/{qunId}/members", app)).Count);
        Assert.Empty(await Memberships(users[3]));

        var tooMany = await Api.PostAsync("/v1/quns", new { tenantId, name = "Small", ownerId = users[0], members = users[1..], maxMembers = 3 }, app);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.True(tooMany.Body.GetProperty("errors").TryGetProperty("members", out _), tooMany.Text);

        var overCeiling = await Api.PostAsync("/v1/quns", new { tenantId, name = "Huge", ownerId = users[0], maxMembers = 100_001 }, app);
        Assert.Equal(HttpStatusCode.BadRequest, overCeiling.Status);
        Assert.True(overCeiling.Body.GetProperty("errors").TryGetProperty("maxMembers", out _), overCeiling.Text);
        (await Api.PostAsync("/v1/quns", new { tenantId, name = "Huge", ownerId = users[0], maxMembers = 100_000 }, app)).Expect(HttpStatusCode.Created);

        // Raising the limit lets the fourth in; it cannot go below the member count.
        var belowCount = await Api.PatchAsync($"/v1/quns/{qunId}", new { maxMembers = 2 }, app);
        Assert.Equal(HttpStatusCode.BadRequest, belowCount.Status);
        (await Api.PatchAsync($"/v1/quns/{qunId}", new { maxMembers = 4 }, app)).Expect(HttpStatusCode.OK);
        (await Api.PutAsync($"/v1/quns/{qunId}/members/{users[3]}", null, app)).Expect(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Bad_input_gets_problems_naming_the_field_never_500()
    {
        var tenantId = await seed.TenantAsync();
        var (owner, ownerToken) = await UserWithTokenAsync(tenantId, "owner");
        var member = await seed.UserAsync(tenantId, "member");
        var qunId = (await Api.PostAsync("/v1/quns", new { tenantId, name = "Q", members = new[] { member } }, ownerToken)).Expect(HttpStatusCode.Created)["id"];

        await ExpectInvalid(Api.PostAsync("/v1/quns", new { tenantId, name = "  " }, ownerToken), "name");
        await ExpectInvalid(Api.PostAsync("/v1/quns", new { tenantId, name = new string('n', 101) }, ownerToken), "name");
        await ExpectInvalid(Api.PostAsync("/v1/quns", new { tenantId, name = "Q", members = new[] { "not-an-id" } }, ownerToken), "members");
        await ExpectInvalid(Api.PatchAsync($"/v1/quns/{qunId}", new { topic = new string('t', 1001) }, ownerToken), "topic");
        await ExpectInvalid(Api.PutAsync($"/v1/quns/{qunId}/members/{member}/role", new { role = "owner" }, ownerToken), "role");
        await ExpectInvalid(Api.PostAsync($"/v1/quns/{qunId}/owner", new { userId = "0000000000000000" }, ownerToken), "userId");
        await ExpectInvalid(Api.GetAsync($"/v1/quns/{qunId}/members?after=!!!", ownerToken), "after");
        await ExpectInvalid(Api.GetAsync($"/v1/quns/{qunId}/members?limit=0", ownerToken), "limit");

        var badRole = await Api.PutAsync($"/v1/quns/{qunId}/members/{member}/role", new { role = "emperor" }, ownerToken);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.Status);
        var garbage = await Api.SendRawAsync(HttpMethod.Post, "/v1/quns", "{\"name\": [", ownerToken);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);

        foreach (var path in new[] { "/v1/quns/nope", "/v1/quns/0000000000000000", $"/v1/quns/{qunId.ToUpperInvariant()}" })
        {
            var missing = await Api.GetAsync(path, system.AdminKey);
            Assert.Equal(HttpStatusCode.NotFound, missing.Status);
            Assert.Equal("application/problem+json", missing.ContentType);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Api.PutAsync($"/v1/quns/{qunId}/members/bad", null, ownerToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.DeleteAsync($"/v1/quns/{qunId}/members/0000000000000000", ownerToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync($"/v1/quns/{qunId}")).Status);
    }

    [Fact]
    public async Task Members_of_a_qun_and_quns_of_a_user_page_in_order_each_once()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        const int userCount = 320;
        var users = new string[userCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, userCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            users[i] = await seed.UserAsync(tenantId, $"m{i:D3}"));
        var owner = users[0];

        var qunId = (await Api.PostAsync("/v1/quns", new { tenantId, name = "Big", ownerId = owner }, app)).Expect(HttpStatusCode.Created)["id"];
        foreach (var batch in users.Skip(1).Chunk(100))
        {
            (await Api.PostAsync($"/v1/quns/{qunId}/members", new { userIds = batch }, app)).Expect(HttpStatusCode.NoContent);
        }

        var members = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await Api.GetAsync($"/v1/quns/{qunId}/members?limit=70{Query(after)}", app)).Expect(HttpStatusCode.OK);
            members.AddRange(page.Body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetString()!));
            after = page.Body.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        Assert.Equal(users.Order(StringComparer.Ordinal), members);
        Assert.Equal(5, pages);

        // The grain pages the same way, with the same cursors.
        var grain = system.Cluster.GetGrain<IQunGrain>(qunId);
        var fromGrain = new List<string>();
        Common.Page<QunMember>? grainPage = null;
        do
        {
            grainPage = await grain.GetMembersAsync(grainPage?.Next, 90);
            fromGrain.AddRange(grainPage.Items.Select(m => m.UserId));
        }
        while (grainPage.Next is not null);

        Assert.Equal(members, fromGrain);

        // A user in a few hundred quns lists each once, oldest first.
        var busy = users[1];
        var quns = new string[260];
        await Parallel.ForEachAsync(Enumerable.Range(0, quns.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            quns[i] = (await Api.PostAsync("/v1/quns", new { tenantId, name = $"q{i}", ownerId = users[2 + (i % 50)], members = new[] { busy } }, app))
                .Expect(HttpStatusCode.Created)["id"]);
        var expected = quns.Append(qunId).Order(StringComparer.Ordinal).ToList();

        var listed = new List<string>();
        after = null;
        do
        {
            var page = (await Api.GetAsync($"/v1/users/{busy}/quns?limit=100{Query(after)}", app)).Expect(HttpStatusCode.OK);
            listed.AddRange(page.Body.GetProperty("quns").EnumerateArray().Select(q => q.GetProperty("id").GetString()!));
            after = page.Body.GetProperty("next").GetString();
        }
        while (after is not null);

        Assert.Equal(expected, listed);
        Assert.Equal(expected, (await Memberships(busy)).Select(a => a[..a.IndexOf('@', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    private async Task<(string Id, string Token)> UserWithTokenAsync(string tenantId, string username)
    {
        var id = await seed.UserAsync(tenantId, username);
        return (id, await seed.LoginAsync(tenantId, username));
    }

    private Task<IReadOnlyList<string>> Memberships(string userId) => system.Cluster.GetGrain<IUserGrain>(userId).GetMembershipsAsync();

    private static List<(string UserId, string Role)> Members(ApiClient.Response response) =>
        [.. response.Expect(HttpStatusCode.OK).Body.GetProperty("members").EnumerateArray()
            .Select(m => (m.GetProperty("userId").GetString()!, m.GetProperty("role").GetString()!))];

    /// <summary>The members and roles, in any order.</summary>
    private static void AssertMembers(ApiClient.Response response, params (string UserId, string Role)[] expected) =>
        Assert.Equal(expected.OrderBy(m => m.UserId, StringComparer.Ordinal), Members(response).OrderBy(m => m.UserId, StringComparer.Ordinal));

    private static List<(string Id, string Role)> UserQuns(ApiClient.Response response) =>
        [.. response.Expect(HttpStatusCode.OK).Body.GetProperty("quns").EnumerateArray()
            .Select(q => (q.GetProperty("id").GetString()!, q.GetProperty("role").GetString()!))];

    private static string Query(string? after) => after is null ? "" : $"&after={after}";

    private static async Task ExpectInvalid(Task<ApiClient.Response> request, string field)
    {
        var response = await request;
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("validation_failed", response.Code);
        Assert.True(response.Body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty(field, out _),
            $"expected errors.{field}: {response.Text}");
    }
}
