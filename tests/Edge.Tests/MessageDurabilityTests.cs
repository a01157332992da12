using System.Net;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class MessageDurabilityTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task An_accepted_message_survives_a_restart_of_silo_and_edge()
    {
        var tenantId = (await system.Api.PostAsync("/v1/tenants", new { name = "durable" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var userId = (await system.Api.PostAsync("/v1/users", new { tenantId, username = "keeper", password = "correct horse" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "kept" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);

        await system.RestartAsync();

        var history = (await system.Api.GetAsync($"/v1/timelines/{userId}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("kept", history.Body.GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
        var next = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "after" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(2, next.Body.GetProperty("results")[0].GetProperty("seq").GetInt64());
    }
}
