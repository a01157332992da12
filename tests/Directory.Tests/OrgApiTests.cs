using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

public sealed class OrgApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task An_org_tree_is_built_reordered_moved_and_pruned()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        var sales = await CreateOrgAsync(tenantId, app, "Sales", sortOrder: 2);
        var rnd = await CreateOrgAsync(tenantId, app, "R&D", sortOrder: 1);
        var backend = await CreateOrgAsync(tenantId, app, "Backend", rnd, sortOrder: 5);
        var frontend = await CreateOrgAsync(tenantId, app, "Frontend", rnd, sortOrder: -1);
        var storage = await CreateOrgAsync(tenantId, app, "Storage", backend);

        var created = (await Api.GetAsync($"/v1/orgs/{backend}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(rnd, created["parentId"]);
        Assert.Equal("Backend", created["name"]);
        Assert.Equal(5, created.Body.GetProperty("sortOrder").GetInt32());
        Assert.Equal(tenantId, created["tenantId"]);

        Assert.Equal([rnd, sales], OrgIds(await Api.GetAsync($"/v1/tenants/{tenantId}/orgs", app)));
        Assert.Equal([frontend, backend], OrgIds(await Api.GetAsync($"/v1/orgs/{rnd}/children", app)));

        // Reorder and rename.
        var patched = (await Api.PatchAsync($"/v1/orgs/{frontend}", new { name = "Web", sortOrder = 9 }, app)).Expect(HttpStatusCode.OK);
        Assert.Equal("Web", patched["name"]);
        Assert.Equal(rnd, patched["parentId"]);
        Assert.Equal([backend, frontend], OrgIds(await Api.GetAsync($"/v1/orgs/{rnd}/children", app)));

        // No cycles: not under itself, not under a descendant.
        await ExpectBadParent(Api.PatchAsync($"/v1/orgs/{rnd}", new { parentId = rnd }, app));
        await ExpectBadParent(Api.PatchAsync($"/v1/orgs/{rnd}", new { parentId = storage }, app));
        await ExpectBadParent(Api.PatchAsync($"/v1/orgs/{backend}", new { parentId = storage }, app));
        Assert.Null(Parent(await Api.GetAsync($"/v1/orgs/{rnd}", app)));

        // Move a subtree under another root, then one org back to the root.
        Assert.Equal(sales, Parent(await Api.PatchAsync($"/v1/orgs/{backend}", new { parentId = sales }, app)));
        Assert.Equal([backend], OrgIds(await Api.GetAsync($"/v1/orgs/{sales}/children", app)));
        Assert.Equal([frontend], OrgIds(await Api.GetAsync($"/v1/orgs/{rnd}/children", app)));
        Assert.Null(Parent(await Api.PatchAsync($"/v1/orgs/{storage}", new { parentId = (string?)null }, app)));
        Assert.Equal([storage, rnd, sales], OrgIds(await Api.GetAsync($"/v1/tenants/{tenantId}/orgs", app)));
        // A PATCH without parentId leaves the parent alone.
        Assert.Equal(sales, Parent(await Api.PatchAsync($"/v1/orgs/{backend}", new { name = "Platform" }, app)));

        // Members, with and without the sub-orgs, each user once.
        var ann = await seed.UserAsync(tenantId, "ann");
        var ben = await seed.UserAsync(tenantId, "ben");
        var cid = await seed.UserAsync(tenantId, "cid");
        (await Api.PutAsync($"/v1/orgs/{sales}/members/{ann}", null, app)).Expect(HttpStatusCode.NoContent);
        (await Api.PutAsync($"/v1/orgs/{backend}/members/{ben}", null, app)).Expect(HttpStatusCode.NoContent);
        (await Api.PutAsync($"/v1/orgs/{backend}/members/{ann}", null, app)).Expect(HttpStatusCode.NoContent);
        (await Api.PutAsync($"/v1/orgs/{backend}/members/{ann}", null, app)).Expect(HttpStatusCode.NoContent);
        (await Api.PutAsync($"/v1/orgs/{frontend}/members/{cid}", null, app)).Expect(HttpStatusCode.NoContent);
        Assert.Equal([ann], MemberIds(await Api.GetAsync($"/v1/orgs/{sales}/members", app)));
        Assert.Equal(Sorted(ann, ben), MemberIds(await Api.GetAsync($"/v1/orgs/{sales}/members?includeSubOrgs=true", app)));
        Assert.Equal(Sorted(cid), MemberIds(await Api.GetAsync($"/v1/orgs/{rnd}/members?includeSubOrgs=true", app)));
        var firstMember = (await Api.GetAsync($"/v1/orgs/{backend}/members", app)).Expect(HttpStatusCode.OK)
            .Body.GetProperty("members")[0];
        var (firstName, firstId) = string.CompareOrdinal(ann, ben) < 0 ? ("ann", ann) : ("ben", ben);
        Assert.Equal(firstId, firstMember.GetProperty("id").GetString());
        Assert.Equal(firstName, firstMember.GetProperty("username").GetString());
        Assert.Equal(Sorted($"{sales}@org", $"{backend}@org"), Sorted([.. await Memberships(ann)]));

        // Delete only empty leaves.
        Assert.Equal(HttpStatusCode.Conflict, (await Api.DeleteAsync($"/v1/orgs/{sales}", app)).Status);
        (await Api.DeleteAsync($"/v1/orgs/{sales}/members/{ann}", app)).Expect(HttpStatusCode.NoContent);
        var withChild = await Api.DeleteAsync($"/v1/orgs/{sales}", app);
        Assert.Equal(HttpStatusCode.Conflict, withChild.Status);
        Assert.Equal("conflict", withChild.Code);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.DeleteAsync($"/v1/orgs/{backend}", app)).Status);
        (await Api.DeleteAsync($"/v1/orgs/{backend}/members/{ann}", app)).Expect(HttpStatusCode.NoContent);
        (await Api.DeleteAsync($"/v1/orgs/{backend}/members/{ben}", app)).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.DeleteAsync($"/v1/orgs/{backend}/members/{ben}", app)).Status);
        Assert.Empty(await Memberships(ann));
        (await Api.DeleteAsync($"/v1/orgs/{backend}", app)).Expect(HttpStatusCode.NoContent);
        (await Api.DeleteAsync($"/v1/orgs/{sales}", app)).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/orgs/{sales}", app)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.DeleteAsync($"/v1/orgs/{sales}", app)).Status);
        Assert.Equal([storage, rnd], OrgIds(await Api.GetAsync($"/v1/tenants/{tenantId}/orgs", app)));

        // A deleted org is no parent.
        await ExpectBadParent(Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "Orphan", parentId = sales }, app));
    }

    [Fact]
    public async Task A_parent_in_another_tenant_is_a_validation_problem_on_parentId()
    {
        var tenantA = await seed.TenantAsync("a");
        var tenantB = await seed.TenantAsync("b");
        var foreign = await CreateOrgAsync(tenantB, system.AdminKey, "Theirs");
        var own = await CreateOrgAsync(tenantA, system.AdminKey, "Ours");

        await ExpectBadParent(Api.PostAsync($"/v1/tenants/{tenantA}/orgs", new { name = "Child", parentId = foreign }, system.AdminKey));
        await ExpectBadParent(Api.PostAsync($"/v1/tenants/{tenantA}/orgs", new { name = "Child", parentId = "not-an-id" }, system.AdminKey));
        await ExpectBadParent(Api.PatchAsync($"/v1/orgs/{own}", new { parentId = foreign }, system.AdminKey));
        Assert.Empty(OrgIds(await Api.GetAsync($"/v1/orgs/{foreign}/children", system.AdminKey)));
        Assert.Null(Parent(await Api.GetAsync($"/v1/orgs/{own}", system.AdminKey)));

        var badName = await Api.PostAsync($"/v1/tenants/{tenantA}/orgs", new { name = "" }, system.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
        Assert.True(badName.Body.GetProperty("errors").TryGetProperty("name", out _), badName.Text);
        var badSort = await Api.PatchAsync($"/v1/orgs/{own}", new { sortOrder = "first" }, system.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, badSort.Status);
        Assert.True(badSort.Body.GetProperty("errors").TryGetProperty("sortOrder", out _), badSort.Text);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendRawAsync(HttpMethod.Patch, $"/v1/orgs/{own}", "[1]", system.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.GetAsync($"/v1/orgs/{own}/members?includeSubOrgs=perhaps", system.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.GetAsync($"/v1/tenants/{tenantA}/orgs?after=bm9wZQ", system.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync("/v1/tenants/0000000000000000/orgs", new { name = "x" }, system.AdminKey)).Status);
    }

    [Fact]
    public async Task Another_tenant_gets_404_and_users_cannot_change_the_tree()
    {
        var tenantA = await seed.TenantAsync("a");
        var tenantB = await seed.TenantAsync("b");
        var (_, appA) = await seed.AppAsync(tenantA);
        var (_, appB) = await seed.AppAsync(tenantB);
        var userA = await seed.UserAsync(tenantA, "alice");
        var userAToken = await seed.LoginAsync(tenantA, "alice");
        var userB = await seed.UserAsync(tenantB, "mallory");
        var userBToken = await seed.LoginAsync(tenantB, "mallory");
        var org = await CreateOrgAsync(tenantA, appA, "Hidden department");
        var child = await CreateOrgAsync(tenantA, appA, "Hidden team", org);
        (await Api.PutAsync($"/v1/orgs/{child}/members/{userA}", null, appA)).Expect(HttpStatusCode.NoContent);

        foreach (var credential in new[] { appB, userBToken })
        {
            var answers = new[]
            {
                await Api.GetAsync($"/v1/orgs/{org}", credential),
                await Api.GetAsync($"/v1/orgs/{org}/children", credential),
                await Api.GetAsync($"/v1/orgs/{org}/members?includeSubOrgs=true", credential),
                await Api.GetAsync($"/v1/tenants/{tenantA}/orgs", credential),
                await Api.PostAsync($"/v1/tenants/{tenantA}/orgs", new { name = "implant" }, credential),
                await Api.PatchAsync($"/v1/orgs/{child}", new { name = "mine", parentId = (string?)null }, credential),
                await Api.PutAsync($"/v1/orgs/{org}/members/{userB}", null, credential),
                await Api.PutAsync($"/v1/orgs/{org}/members/{userA}", null, credential),
                await Api.DeleteAsync($"/v1/orgs/{child}/members/{userA}", credential),
                await Api.DeleteAsync($"/v1/orgs/{child}", credential),
            };
            foreach (var answer in answers)
            {
                Assert.Equal(HttpStatusCode.NotFound, answer.Status);
                Assert.Equal("not_found", answer.Code);
                Assert.DoesNotContain("Hidden", answer.Text, StringComparison.Ordinal);
            }
        }

        // Tenant B's org under tenant A's as a parent: refused without a word about A's org.
        var sneaky = await Api.PostAsync($"/v1/tenants/{tenantB}/orgs", new { name = "x", parentId = org }, appB);
        Assert.Equal(HttpStatusCode.BadRequest, sneaky.Status);
        Assert.DoesNotContain("Hidden", sneaky.Text, StringComparison.Ordinal);

        // A user of the tenant is known but may not manage the tree.
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PutAsync($"/v1/orgs/{org}/members/{userA}", null, userAToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync($"/v1/tenants/{tenantA}/orgs", new { name = "x" }, userAToken)).Status);

        // Tenant A's app cannot put tenant B's user in its org.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PutAsync($"/v1/orgs/{org}/members/{userB}", null, appA)).Status);
        Assert.Empty(await Memberships(userB));

        // Nothing changed.
        var unchanged = (await Api.GetAsync($"/v1/orgs/{child}", appA)).Expect(HttpStatusCode.OK);
        Assert.Equal("Hidden team", unchanged["name"]);
        Assert.Equal(org, unchanged["parentId"]);
        Assert.Equal([userA], MemberIds(await Api.GetAsync($"/v1/orgs/{org}/members?includeSubOrgs=true", appA)));
    }

    [Fact]
    public async Task Members_of_an_org_with_its_sub_orgs_page_in_order_each_once()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        var root = await CreateOrgAsync(tenantId, app, "Root");
        var left = await CreateOrgAsync(tenantId, app, "Left", root);
        var deep = await CreateOrgAsync(tenantId, app, "Deep", left);
        var users = new string[150];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            users[i] = await seed.UserAsync(tenantId, $"p{i:D3}");
            // Half in the root, half two levels down; every third also in the middle org.
            (await Api.PutAsync($"/v1/orgs/{(i % 2 == 0 ? root : deep)}/members/{users[i]}", null, app)).Expect(HttpStatusCode.NoContent);
            if (i % 3 == 0)
            {
                (await Api.PutAsync($"/v1/orgs/{left}/members/{users[i]}", null, app)).Expect(HttpStatusCode.NoContent);
            }
        });

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await Api.GetAsync($"/v1/orgs/{root}/members?includeSubOrgs=true&limit=40{(after is null ? "" : $"&after={after}")}", app))
                .Expect(HttpStatusCode.OK);
            seen.AddRange(page.Body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
            after = page.Body.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        Assert.Equal(users.Order(StringComparer.Ordinal), seen);
        Assert.Equal(4, pages);
        var direct = await system.Cluster.GetGrain<IDirectoryQueryGrain>(0).ListOrgMembersAsync(root, includeSubOrgs: false, null, 500);
        Assert.Equal(users.Where((_, i) => i % 2 == 0).Order(StringComparer.Ordinal), direct.Items.Select(u => u.Id));
    }

    private async Task<string> CreateOrgAsync(string tenantId, string credential, string name, string? parentId = null, int sortOrder = 0)
    {
        var created = (await Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name, parentId, sortOrder }, credential)).Expect(HttpStatusCode.Created);
        Assert.Equal(parentId, Parent(created));
        return created["id"];
    }

    private Task<IReadOnlyList<string>> Memberships(string userId) => system.Cluster.GetGrain<IUserGrain>(userId).GetMembershipsAsync();

    private static string? Parent(ApiClient.Response response) =>
        response.Expect(response.Status == HttpStatusCode.Created ? HttpStatusCode.Created : HttpStatusCode.OK).Body.GetProperty("parentId").GetString();

    private static List<string> OrgIds(ApiClient.Response response) =>
        [.. response.Expect(HttpStatusCode.OK).Body.GetProperty("orgs").EnumerateArray().Select(o => o.GetProperty("id").GetString()!)];

    private static List<string> MemberIds(ApiClient.Response response) =>
        [.. response.Expect(HttpStatusCode.OK).Body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];

    private static List<string> Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    private static async Task ExpectBadParent(Task<ApiClient.Response> request)
    {
        var response = await request;
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("validation_failed", response.Code);
        Assert.True(response.Body.GetProperty("errors").TryGetProperty("parentId", out _), response.Text);
    }
}
