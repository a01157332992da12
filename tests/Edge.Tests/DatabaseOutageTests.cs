using System.Diagnostics;
using System.Net;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>With the database down, sends answer "unavailable" quickly, and what was acknowledged before survives.</summary>
public sealed class DatabaseOutageTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sends_during_an_outage_answer_unavailable_quickly_and_acknowledged_messages_are_not_lost()
    {
        var (tenantId, sender) = await system.NewUserAsync();
        var receiver = (await system.Api.PostAsync("/v1/users", new { tenantId, username = "r" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(sender, await system.LoginAsync(tenantId, sender))).Code);
        var before = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "before" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK).Body.GetProperty("results")[0].GetProperty("id").GetString();

        await system.Postgres.StopAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var http = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "during" } }, system.AdminKey);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, http.Status);
            Assert.Equal("unavailable", http.Code);
            Assert.True(clock.Elapsed < Prompt, $"the API took {clock.Elapsed} to answer");

            clock.Restart();
            await device.SendFrameAsync(MessageType.Im, 9, Encoding.UTF8.GetBytes("{\"to\":\"" + receiver + "@user\",\"type\":\"text\",\"content\":{\"text\":\"during\"}}"));
            var imresp = await device.ReceiveAsync(Prompt);
            Assert.Equal(MessageType.ImResp, imresp.Type);
            Assert.Equal((byte)ImResultCode.Failed, imresp.Code);
            Assert.True(clock.Elapsed < Prompt, $"IMRESP took {clock.Elapsed}");
        }
        finally
        {
            await system.Postgres.StartAgainAsync();
        }

        var history = await Eventually.ReturnsAsync(
            () => system.Api.GetAsync($"/v1/timelines/{receiver}@user/messages", system.AdminKey),
            r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "history readable again");
        var messages = history.Body.GetProperty("messages");
        Assert.Equal(1, messages.GetArrayLength());
        Assert.Equal(before, messages[0].GetProperty("id").GetString());
        var after = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "after" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK).Body.GetProperty("results")[0];
        Assert.Equal(2, after.GetProperty("seq").GetInt64());
    }
}
