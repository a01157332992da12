using System.Diagnostics;
using System.Net;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>
/// A grain whose storage fails answers the HTTP caller 503 <c>unavailable</c>, promptly: never a 500, whether
/// the failure is in a grain already active (its state write fails) or in one that is activated for the call.
/// </summary>
public sealed class StorageOutageApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(15);

    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task Directory_changes_during_a_database_outage_answer_503_unavailable()
    {
        var tenantId = await seed.TenantAsync("outage");
        var owner = await seed.UserAsync(tenantId, "owner");
        var member = await seed.UserAsync(tenantId, "member");
        var qunId = (await Api.PostAsync("/v1/quns", new { tenantId, name = "before", ownerId = owner }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];

        await system.Postgres.StopAsync();
        try
        {
            // Active grains: the qun, its owner and the member are in memory; their state writes fail.
            await ExpectUnavailableAsync(() => Api.PatchAsync($"/v1/quns/{qunId}", new { name = "renamed" }, system.AdminKey));
            await ExpectUnavailableAsync(() => Api.PutAsync($"/v1/quns/{qunId}/members/{member}", null, system.AdminKey));
            // A new qun and a new user: grains activated for the call.
            await ExpectUnavailableAsync(() => Api.PostAsync("/v1/quns", new { tenantId, name = "during", ownerId = owner, members = new[] { member } }, system.AdminKey));
            await ExpectUnavailableAsync(() => Api.PostAsync("/v1/users", new { tenantId, username = "newcomer", password = "correct horse" }, system.AdminKey));
        }
        finally
        {
            await system.Postgres.StartAgainAsync();
        }

        // Back: the same calls succeed, and nothing of the failed ones was half done.
        await Eventually.ReturnsAsync(
            () => Api.PatchAsync($"/v1/quns/{qunId}", new { name = "renamed" }, system.AdminKey),
            r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the qun writable again");
        (await Api.PutAsync($"/v1/quns/{qunId}/members/{member}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var qun = (await Api.GetAsync($"/v1/quns/{qunId}", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, qun.Body.GetProperty("memberCount").GetInt32());
    }

    private static async Task ExpectUnavailableAsync(Func<Task<ApiClient.Response>> call)
    {
        var clock = Stopwatch.StartNew();
        var response = await call();
        Assert.True(response.Status == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)response.Status}: {response.Text}");
        Assert.Equal("unavailable", response.Code);
        Assert.True(clock.Elapsed < Prompt, $"the API took {clock.Elapsed} to answer");
    }
}
