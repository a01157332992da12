using System.Net;
using System.Text.Json;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

public sealed class ContactApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task A_user_adds_updates_lists_and_removes_its_contacts()
    {
        var tenantId = await seed.TenantAsync();
        var alice = await seed.UserAsync(tenantId, "alice");
        var bob = await seed.UserAsync(tenantId, "bob");
        var carol = await seed.UserAsync(tenantId, "carol");
        var token = await seed.LoginAsync(tenantId, "alice");

        var added = (await Api.PutAsync($"/v1/users/{alice}/contacts/{bob}", new { remark = "  from college  ", starred = true }, token))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(bob, added["contactId"]);
        Assert.Equal("bob", added["username"]);
        Assert.Equal("from college", added["remark"]);
        Assert.Equal("true", added["starred"]);

        var unstarred = (await Api.PutAsync($"/v1/users/{alice}/contacts/{bob}", new { starred = false }, token)).Expect(HttpStatusCode.OK);
        Assert.Equal("from college", unstarred["remark"]);
        Assert.Equal("false", unstarred["starred"]);
        Assert.Equal(added["createdAt"], unstarred["createdAt"]);

        var plain = (await Api.PutAsync($"/v1/users/{alice}/contacts/{carol}", null, token)).Expect(HttpStatusCode.Created);
        Assert.Equal("", plain["remark"]);
        Assert.Equal("false", plain["starred"]);

        var one = (await Api.GetAsync($"/v1/users/{alice}/contacts/{bob}", token)).Expect(HttpStatusCode.OK);
        Assert.Equal("from college", one["remark"]);

        Assert.Equal(new[] { bob, carol }.Order(StringComparer.Ordinal), await ContactIdsAsync(alice, token));

        (await Api.DeleteAsync($"/v1/users/{alice}/contacts/{bob}", token)).Expect(HttpStatusCode.NoContent);
        Assert.Equal("not_found", (await Api.DeleteAsync($"/v1/users/{alice}/contacts/{bob}", token)).Expect(HttpStatusCode.NotFound).Code);
        (await Api.GetAsync($"/v1/users/{alice}/contacts/{bob}", token)).Expect(HttpStatusCode.NotFound);
        Assert.Equal(new[] { carol }, await ContactIdsAsync(alice, token));
    }

    [Fact]
    public async Task Saving_a_contact_twice_keeps_one_contact_and_the_list_shows_the_contacts_current_name()
    {
        var tenantId = await seed.TenantAsync();
        var owner = await seed.UserAsync(tenantId, "owner");
        var friend = await seed.UserAsync(tenantId, "friend");
        var token = await seed.LoginAsync(tenantId, "owner");

        (await Api.PutAsync($"/v1/users/{owner}/contacts/{friend}", new { remark = "first" }, token)).Expect(HttpStatusCode.Created);
        (await Api.PutAsync($"/v1/users/{owner}/contacts/{friend}", new { remark = "second" }, token)).Expect(HttpStatusCode.OK);
        (await Api.PatchAsync($"/v1/users/{friend}", new { displayName = "Friend Renamed" }, system.AdminKey)).Expect(HttpStatusCode.OK);

        var page = (await Api.GetAsync($"/v1/users/{owner}/contacts", token)).Expect(HttpStatusCode.OK);
        var contact = Assert.Single(page.Body.GetProperty("contacts").EnumerateArray());
        Assert.Equal("second", contact.GetProperty("remark").GetString());
        Assert.Equal("Friend Renamed", contact.GetProperty("displayName").GetString());
        Assert.Equal(JsonValueKind.Null, page.Body.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Apps_of_the_tenant_and_the_operator_manage_a_users_contacts()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        var owner = await seed.UserAsync(tenantId, "dora");
        var friend = await seed.UserAsync(tenantId, "emil");

        (await Api.PutAsync($"/v1/users/{owner}/contacts/{friend}", new { remark = "by app" }, app)).Expect(HttpStatusCode.Created);
        var seenByOperator = (await Api.GetAsync($"/v1/users/{owner}/contacts/{friend}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("by app", seenByOperator["remark"]);
        (await Api.DeleteAsync($"/v1/users/{owner}/contacts/{friend}", system.AdminKey)).Expect(HttpStatusCode.NoContent);
        Assert.Empty(await ContactIdsAsync(owner, app));
    }

    [Fact]
    public async Task Another_user_of_the_tenant_does_not_reach_a_users_contacts()
    {
        var tenantId = await seed.TenantAsync();
        var owner = await seed.UserAsync(tenantId, "fay");
        var friend = await seed.UserAsync(tenantId, "gus");
        await seed.UserAsync(tenantId, "nosy");
        var nosy = await seed.LoginAsync(tenantId, "nosy");
        (await Api.PutAsync($"/v1/users/{owner}/contacts/{friend}", new { remark = "secret remark" }, system.AdminKey)).Expect(HttpStatusCode.Created);

        var answers = new[]
        {
            await Api.GetAsync($"/v1/users/{owner}/contacts", nosy),
            await Api.GetAsync($"/v1/users/{owner}/contacts/{friend}", nosy),
            await Api.PutAsync($"/v1/users/{owner}/contacts/{friend}", new { remark = "changed" }, nosy),
            await Api.DeleteAsync($"/v1/users/{owner}/contacts/{friend}", nosy),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.Status));
        Assert.All(answers, a => Assert.DoesNotContain("secret remark", a.Text, StringComparison.Ordinal));
        var unchanged = (await Api.GetAsync($"/v1/users/{owner}/contacts/{friend}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("secret remark", unchanged["remark"]);
    }

    [Fact]
    public async Task Only_users_of_the_same_tenant_can_be_contacts()
    {
        var tenantId = await seed.TenantAsync();
        var otherTenant = await seed.TenantAsync("other");
        var owner = await seed.UserAsync(tenantId, "hal");
        var stranger = await seed.UserAsync(otherTenant, "ivy");
        var token = await seed.LoginAsync(tenantId, "hal");

        var foreign = await Api.PutAsync($"/v1/users/{owner}/contacts/{stranger}", null, token);
        var unknown = await Api.PutAsync($"/v1/users/{owner}/contacts/{Ids.New()}", null, token);
        var malformed = await Api.PutAsync($"/v1/users/{owner}/contacts/not-an-id", null, token);

        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal("not_found", foreign.Code);
        Assert.DoesNotContain("ivy", foreign.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.NotFound, malformed.Status);
        Assert.Empty(await ContactIdsAsync(owner, token));
    }

    [Theory]
    [InlineData("{\"remark\": \"LONG\"}", "remark")]
    [InlineData("{\"starred\": \"yes\"}", "starred")]
    [InlineData("{\"remark\": 42}", "remark")]
    public async Task Bad_contact_fields_get_a_validation_problem_naming_the_field(string body, string field)
    {
        var tenantId = await seed.TenantAsync();
        var owner = await seed.UserAsync(tenantId, "jan");
        var friend = await seed.UserAsync(tenantId, "kim");

        var refused = await Api.SendRawAsync(HttpMethod.Put, $"/v1/users/{owner}/contacts/{friend}", body.Replace("LONG", new string('r', 101), StringComparison.Ordinal), system.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("validation_failed", refused.Code);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
        (await Api.GetAsync($"/v1/users/{owner}/contacts/{friend}", system.AdminKey)).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_remark_of_exactly_100_characters_is_accepted()
    {
        var tenantId = await seed.TenantAsync();
        var owner = await seed.UserAsync(tenantId, "lea");
        var friend = await seed.UserAsync(tenantId, "max");
        var remark = new string('r', 100);

        var saved = (await Api.PutAsync($"/v1/users/{owner}/contacts/{friend}", new { remark }, system.AdminKey)).Expect(HttpStatusCode.Created);

        Assert.Equal(remark, saved["remark"]);
    }

    [Fact]
    public async Task A_user_cannot_be_its_own_contact_and_bad_paging_is_refused()
    {
        var tenantId = await seed.TenantAsync();
        var owner = await seed.UserAsync(tenantId, "ned");
        var token = await seed.LoginAsync(tenantId, "ned");

        var self = await Api.PutAsync($"/v1/users/{owner}/contacts/{owner}", null, token);
        var badLimit = await Api.GetAsync($"/v1/users/{owner}/contacts?limit=0", token);
        var badCursor = await Api.GetAsync($"/v1/users/{owner}/contacts?after=!!!", token);

        Assert.Equal(HttpStatusCode.BadRequest, self.Status);
        Assert.True(self.Body.GetProperty("errors").TryGetProperty("contactId", out _), self.Text);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.Status);
        Assert.True(badLimit.Body.GetProperty("errors").TryGetProperty("limit", out _), badLimit.Text);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.Status);
        Assert.True(badCursor.Body.GetProperty("errors").TryGetProperty("after", out _), badCursor.Text);
    }

    [Fact]
    public async Task Contacts_are_listed_page_by_page_in_id_order()
    {
        var tenantId = await seed.TenantAsync();
        var (_, app) = await seed.AppAsync(tenantId);
        var owner = await seed.UserAsync(tenantId, "owner");
        var friends = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var id = (await Api.PostAsync("/v1/users", new { tenantId, username = $"friend{i:D3}", password = "correct horse" }, app))
                .Expect(HttpStatusCode.Created)["id"];
            friends.Add(id);
        });
        foreach (var friend in friends)
        {
            (await Api.PutAsync($"/v1/users/{owner}/contacts/{friend}", new { starred = friend.EndsWith('0') }, app)).Expect(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = (await Api.GetAsync($"/v1/users/{owner}/contacts?limit=50{(after is null ? "" : $"&after={after}")}", app)).Expect(HttpStatusCode.OK);
            seen.AddRange(page.Body.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("contactId").GetString()!));
            after = page.Body.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        Assert.Equal(friends.Order(StringComparer.Ordinal), seen);
        Assert.Equal(3, pages);
    }

    private async Task<List<string>> ContactIdsAsync(string userId, string credential)
    {
        var page = (await Api.GetAsync($"/v1/users/{userId}/contacts?limit=500", credential)).Expect(HttpStatusCode.OK);
        return [.. page.Body.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("contactId").GetString()!)];
    }
}
