using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>Directory records survive a restart of silo and edge. Its own class: the restart affects every test of the fixture.</summary>
public sealed class RestartTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task Tenants_apps_users_contacts_and_client_versions_survive_a_restart()
    {
        var admin = system.AdminKey;
        var tenantId = (await Api.PostAsync("/v1/tenants",
            new { name = "durable", settings = new { oneSessionPerTerminalType = false, androidIosExclusive = true, allowAnonymousSessions = true } }, admin))
            .Expect(HttpStatusCode.Created)["id"];
        var (appId, app) = await seed.AppAsync(tenantId, "durable-app");
        var alice = await seed.UserAsync(tenantId, "alice");
        var bob = await seed.UserAsync(tenantId, "bob");
        var carol = await seed.UserAsync(tenantId, "carol");
        (await Api.PatchAsync($"/v1/users/{carol}", new { displayName = "Carol C.", avatarUrl = "https://img.example/c.png", status = "disabled" }, admin))
            .Expect(HttpStatusCode.OK);
        var aliceToken = await seed.LoginAsync(tenantId, "alice");
        (await Api.PutAsync($"/v1/users/{alice}/contacts/{bob}", new { remark = "best friend", starred = true }, aliceToken)).Expect(HttpStatusCode.Created);
        (await Api.PutAsync($"/v1/users/{alice}/contacts/{carol}", new { remark = "neighbour" }, aliceToken)).Expect(HttpStatusCode.Created);
        (await Api.PutAsync($"/v1/users/{bob}/contacts/{alice}", null, app)).Expect(HttpStatusCode.Created);
        (await Api.PostAsync($"/v1/apps/{appId}/versions", new { terminalType = 1, versionCode = 41, versionName = "4.1", downloadUrl = "https://dl.example/41" }, app))
            .Expect(HttpStatusCode.Created);
        (await Api.PostAsync($"/v1/apps/{appId}/versions",
            new { terminalType = 2, versionCode = 42, versionName = "4.2", description = "iOS build", downloadUrl = "https://dl.example/42" }, app))
            .Expect(HttpStatusCode.Created);

        string[] reads =
        [
            $"/v1/tenants/{tenantId}",
            $"/v1/apps/{appId}",
            $"/v1/users/{alice}",
            $"/v1/users/{bob}",
            $"/v1/users/{carol}",
            $"/v1/tenants/{tenantId}/users",
            $"/v1/users/{alice}/contacts",
            $"/v1/users/{alice}/contacts/{bob}",
            $"/v1/users/{bob}/contacts",
            $"/v1/apps/{appId}/versions",
            $"/v1/apps/{appId}/versions/latest?terminalType=1&versionCode=40",
        ];
        var before = new List<string>();
        foreach (var path in reads)
        {
            before.Add((await Api.GetAsync(path, admin)).Expect(HttpStatusCode.OK).Text);
        }

        var grainContacts = await system.Cluster.GetGrain<IContactsGrain>(alice).ListAsync(null, 10);
        var grainVersions = await system.Cluster.GetGrain<IClientVersionsGrain>(appId).ListAsync();

        await system.RestartAsync();

        for (var i = 0; i < reads.Length; i++)
        {
            Assert.Equal((reads[i], before[i]), (reads[i], (await Api.GetAsync(reads[i], admin)).Expect(HttpStatusCode.OK).Text));
        }

        Assert.Equal(grainContacts.Items, (await system.Cluster.GetGrain<IContactsGrain>(alice).ListAsync(null, 10)).Items);
        Assert.Equal(grainVersions, await system.Cluster.GetGrain<IClientVersionsGrain>(appId).ListAsync());

        // Credentials issued before the restart still work, and so does a new login.
        (await Api.GetAsync($"/v1/apps/{appId}", app)).Expect(HttpStatusCode.OK);
        (await Api.GetAsync($"/v1/users/{alice}", aliceToken)).Expect(HttpStatusCode.OK);
        var freshToken = await seed.LoginAsync(tenantId, "alice");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Api.PostAsync("/v1/auth/login", new { tenantId, username = "carol", password = "correct horse", terminalType = 1 })).Status);

        // The contacts grain came back from its state, not only the list: an existing contact is updated, not re-added.
        var updated = (await Api.PutAsync($"/v1/users/{alice}/contacts/{bob}", new { starred = false }, freshToken)).Expect(HttpStatusCode.OK);
        Assert.Equal("best friend", updated["remark"]);
        var duplicate = await Api.PostAsync($"/v1/apps/{appId}/versions", new { terminalType = 1, versionCode = 41, versionName = "4.1", downloadUrl = "https://dl.example/41" }, app);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
    }
}
