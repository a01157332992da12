using System.Net;
using System.Text;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class MessagePushTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    [Fact]
    public async Task A_push_to_a_user_is_stored_numbered_and_delivered_to_the_terminals_in_the_mask()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var android = await RegisteredAsync(tenantId, userId, TerminalType.Android);
        await using var pc = await RegisteredAsync(tenantId, userId, TerminalType.Pc);

        var sent = (await system.Api.PostAsync("/v1/messages", new
        {
            to = new[] { $"{userId}@user" },
            type = "text",
            content = new { text = "hello android" },
            terminalTypes = 1,
        }, system.AdminKey)).Expect(HttpStatusCode.OK);

        var result = sent.Body.GetProperty("results")[0];
        Assert.Equal($"{userId}@user", result.GetProperty("timeline").GetString());
        Assert.Equal(1, result.GetProperty("seq").GetInt64());
        var push = await android.ReceiveAsync();
        Assert.Equal(MessageType.Push, push.Type);
        Assert.Equal(0, push.Body[0] << 8 | push.Body[1]); // offline = 0: live
        using var envelope = JsonDocument.Parse(push.Body.AsMemory(3));
        Assert.Equal("hello android", envelope.RootElement.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(1, envelope.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(result.GetProperty("id").GetString(), envelope.RootElement.GetProperty("id").GetString());
        Assert.Equal("operator@app", envelope.RootElement.GetProperty("from").GetString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pc.ReceiveAsync(TimeSpan.FromSeconds(1)));

        var second = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "two" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(2, second.Body.GetProperty("results")[0].GetProperty("seq").GetInt64());

        var token = await system.LoginAsync(tenantId, userId, 8);
        var history = (await system.Api.GetAsync($"/v1/timelines/{userId}@user/messages?after=0&limit=10", token)).Expect(HttpStatusCode.OK);
        Assert.Equal(["hello android", "two"], history.Body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_user_sends_to_another_user_of_its_tenant_as_itself_but_not_across_tenants()
    {
        var (tenantId, sender) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, sender);
        var receiver = (await system.Api.PostAsync("/v1/users", new { tenantId, username = "r" + Guid.NewGuid().ToString("N")[..8], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        var (_, stranger) = await system.NewUserAsync();

        var sent = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "hi" } }, token))
            .Expect(HttpStatusCode.OK);
        var history = (await system.Api.GetAsync($"/v1/timelines/{receiver}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal($"{sender}@user", history.Body.GetProperty("messages")[0].GetProperty("from").GetString());
        Assert.Equal(1, sent.Body.GetProperty("results")[0].GetProperty("seq").GetInt64());

        var across = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{stranger}@user" }, type = "text", content = new { text = "hi" } }, token);
        Assert.Equal(HttpStatusCode.NotFound, across.Status);
        var impersonation = await system.Api.PostAsync("/v1/messages", new { from = $"{receiver}@user", to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "hi" } }, token);
        Assert.Equal(HttpStatusCode.Forbidden, impersonation.Status);
        var othersInbox = await system.Api.GetAsync($"/v1/timelines/{receiver}@user/messages", token);
        Assert.Equal(HttpStatusCode.NotFound, othersInbox.Status);
        var strangerHistory = (await system.Api.GetAsync($"/v1/timelines/{stranger}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, strangerHistory.Body.GetProperty("messages").GetArrayLength());
    }

    [Theory]
    [InlineData("text", "{\"txt\":\"typo\"}", "content.text")]
    [InlineData("image", "{\"url\":\"https://x.example/a.png\",\"width\":10}", "content.height")]
    [InlineData("link", "{\"url\":\"ftp://x\",\"title\":\"t\"}", "content.url")]
    [InlineData("telegram", "{\"text\":\"x\"}", "type")]
    public async Task Content_that_does_not_match_its_type_is_refused_and_nothing_is_stored(string type, string content, string field)
    {
        var (_, userId) = await system.NewUserAsync();
        using var parsed = JsonDocument.Parse(content);

        var refused = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type, content = parsed.RootElement }, system.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), refused.Text);
        var history = (await system.Api.GetAsync($"/v1/timelines/{userId}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, history.Body.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Bad_targets_and_ttl_over_the_cap_are_refused()
    {
        var (_, userId) = await system.NewUserAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await Send(new[] { "nobody@planet" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(Enumerable.Range(0, 1001).Select(i => $"{userId}@user").ToArray())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(new[] { $"{Ids.New()}@user" })).Status);
        var ttl = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "x" }, ttlSeconds = 365 * 86400 }, system.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, ttl.Status);
        Assert.True(ttl.Body.GetProperty("errors").TryGetProperty("ttlSeconds", out _));

        Task<ApiClient.Response> Send(string[] to) =>
            system.Api.PostAsync("/v1/messages", new { to, type = "text", content = new { text = "x" } }, system.AdminKey);
    }

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId, TerminalType terminalType)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, (int)terminalType), terminalType)).Code);
        return device;
    }
}
