using System.Net;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

[Collection(BackendCollection.Name)]
public sealed class PresenceTests(BackendSystem system)
{
    [Fact]
    public async Task Presence_lists_the_live_sessions_across_connect_kick_and_disconnect()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        Assert.Empty(await PresenceAsync(userId));

        await using var android = await system.DeviceAsync(tenantId, userId, TerminalType.Android);
        var first = Assert.Single(await PresenceAsync(userId));
        Assert.Equal(1, first.GetProperty("terminalType").GetInt32());
        Assert.Equal(system.EdgeSettings.EdgeId, first.GetProperty("edgeId").GetString());
        Assert.True(first.GetProperty("since").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));

        await using var pc = await system.DeviceAsync(tenantId, userId, TerminalType.Pc);
        Assert.Equal(2, (await PresenceAsync(userId)).Count);

        // A second Android login kicks the first (reason 1): the list shows the new session instead.
        await using var secondAndroid = await system.DeviceAsync(tenantId, userId, TerminalType.Android);
        var kick = await android.ReceiveAsync();
        Assert.Equal(MessageType.Kick, kick.Type);
        var afterKick = await PresenceAsync(userId);
        Assert.Equal(2, afterKick.Count);
        Assert.DoesNotContain(afterKick, s => s.GetProperty("sessionId").GetString() == first.GetProperty("sessionId").GetString());
        Assert.Equal([1, 16], afterKick.Select(s => s.GetProperty("terminalType").GetInt32()).Order());

        await pc.DisposeAsync();
        var left = await Eventually.ReturnsAsync(() => PresenceAsync(userId), s => s.Count == 1, TimeSpan.FromSeconds(10), "the PC session gone");
        Assert.Equal(1, left[0].GetProperty("terminalType").GetInt32());
    }

    [Fact]
    public async Task Presence_is_visible_to_the_user_its_tenants_apps_and_the_operator_only()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (_, credential) = await system.NewAppAsync(tenantId);
        var (otherTenant, otherUser) = await system.NewUserAsync();
        var (_, otherCredential) = await system.NewAppAsync(otherTenant);
        var path = $"/v1/users/{userId}/presence";

        (await system.Api.GetAsync(path, await system.LoginAsync(tenantId, userId))).Expect(HttpStatusCode.OK);
        (await system.Api.GetAsync(path, credential)).Expect(HttpStatusCode.OK);
        (await system.Api.GetAsync(path, system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("not_found", (await system.Api.GetAsync(path, otherCredential)).Expect(HttpStatusCode.NotFound).Code);
        Assert.Equal("not_found", (await system.Api.GetAsync(path, await system.LoginAsync(otherTenant, otherUser))).Expect(HttpStatusCode.NotFound).Code);
        (await system.Api.GetAsync(path)).Expect(HttpStatusCode.Unauthorized);
    }

    private async Task<List<JsonElement>> PresenceAsync(string userId)
    {
        var answer = (await system.Api.GetAsync($"/v1/users/{userId}/presence", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(userId, answer["userId"]);
        return [.. answer.Body.GetProperty("sessions").EnumerateArray()];
    }
}
