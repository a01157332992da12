using System.Net;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary><c>GET /v1/messages/{id}/delivery</c>: per recipient and terminal, acknowledged, delivered, pending or expired.</summary>
public sealed class DeliveryStateTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Each_terminal_shows_acknowledged_delivered_pending_or_expired()
    {
        var (tenantId, reader) = await system.NewUserAsync();
        var silent = await NewUserAsync(tenantId);
        var away = await NewUserAsync(tenantId);
        var (_, app) = await NewAppAsync(tenantId);

        // The away user's Android terminal once acknowledged a message, then went offline.
        await using (var before = await RegisteredAsync(tenantId, away))
        {
            var first = await SendAsync(app, $"{away}@user");
            await before.Device.AcknowledgeAsync(await before.Device.ReceiveAsync());
            await Eventually.ReturnsAsync(() => StateAsync(app, first, away), s => s == "acknowledged", Within, "the first acknowledgement");
        }

        await using var readerDevice = await RegisteredAsync(tenantId, reader);
        await using var silentDevice = await RegisteredAsync(tenantId, silent);
        var toReader = await SendAsync(app, $"{reader}@user");
        var toSilent = await SendAsync(app, $"{silent}@user");
        var toAway = await SendAsync(app, $"{away}@user");
        var expiring = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{away}@user" }, type = "text", content = new { text = "brief" }, ttlSeconds = 1 }, app))
            .Expect(HttpStatusCode.OK).Body.GetProperty("results")[0].GetProperty("id").GetString()!;
        await readerDevice.Device.AcknowledgeAsync(await readerDevice.Device.ReceiveAsync());
        Assert.Equal(MessageType.Push, (await silentDevice.Device.ReceiveAsync()).Type);

        Assert.Equal("acknowledged", await Eventually.ReturnsAsync(() => StateAsync(app, toReader, reader), s => s == "acknowledged", Within, "the reader's acknowledgement"));
        // The acknowledgement's time is shown: after the message was stored, and not in the future.
        var acknowledgedAt = (await TerminalAsync(app, toReader, reader)).GetProperty("at").GetDateTimeOffset();
        var storedAt = (await system.Api.GetAsync($"/v1/messages/{toReader}/delivery", app)).Expect(HttpStatusCode.OK).Body.GetProperty("createdAt").GetDateTimeOffset();
        Assert.InRange(acknowledgedAt, storedAt, DateTimeOffset.UtcNow.AddSeconds(1));
        // And stored with the cursor (saved within the cursor grain's flush period), so a restart keeps it.
        await Eventually.ReturnsAsync(() => StoredAckTimeAsync(reader), at => at is not null, Within, "the acknowledgement time stored");
        var silentTerminal = await TerminalAsync(app, toSilent, silent);
        Assert.Equal("delivered", silentTerminal.GetProperty("state").GetString());
        Assert.Equal(silentDevice.SessionId, silentTerminal.GetProperty("deviceId").GetString());
        Assert.Equal(1, silentTerminal.GetProperty("terminalType").GetInt32());
        Assert.Equal("pending", await StateAsync(app, toAway, away));
        await Eventually.ReturnsAsync(() => StateAsync(app, expiring, away), s => s == "expired", Within, "the expiry");
    }

    [Fact]
    public async Task A_qun_message_lists_its_members_and_only_the_sender_the_operator_and_the_tenants_apps_see_it()
    {
        var (tenantId, owner) = await system.NewUserAsync();
        var member = await NewUserAsync(tenantId);
        var (_, app) = await NewAppAsync(tenantId);
        var (_, sameTenantApp) = await NewAppAsync(tenantId);
        var (otherTenant, stranger) = await system.NewUserAsync();
        var (_, otherApp) = await NewAppAsync(otherTenant);
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "watched", ownerId = owner, members = new[] { member } }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        await using var memberDevice = await RegisteredAsync(tenantId, member);
        var ownerToken = await system.LoginAsync(tenantId, owner, 8);

        var sent = await SendAsync(ownerToken, $"{qunId}@qun");

        var delivery = (await system.Api.GetAsync($"/v1/messages/{sent}/delivery", ownerToken)).Expect(HttpStatusCode.OK);
        Assert.True(delivery.Body.GetProperty("recipientsListed").GetBoolean());
        var recipients = delivery.Body.GetProperty("recipients").EnumerateArray().ToDictionary(r => r.GetProperty("userId").GetString()!, r => r.GetProperty("terminals"));
        Assert.Equal(new[] { member, owner }.Order(), recipients.Keys.Order());
        Assert.Equal("delivered", recipients[member][0].GetProperty("state").GetString());
        (await system.Api.GetAsync($"/v1/messages/{sent}/delivery", system.AdminKey)).Expect(HttpStatusCode.OK);
        (await system.Api.GetAsync($"/v1/messages/{sent}/delivery", sameTenantApp)).Expect(HttpStatusCode.OK);
        (await system.Api.GetAsync($"/v1/messages/{sent}/delivery?limit=1", app)).Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/messages/{sent}/delivery", await system.LoginAsync(tenantId, member, 8))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/messages/{sent}/delivery", await system.LoginAsync(otherTenant, stranger))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/messages/{sent}/delivery", otherApp)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync("/v1/messages/nosuchmessage/delivery", system.AdminKey)).Status);
        Assert.Equal("validation_failed", (await system.Api.GetAsync($"/v1/messages/{sent}/delivery?limit=0", system.AdminKey)).Code);
    }

    [Fact]
    public async Task Org_tenant_and_broadcast_messages_list_their_users_page_by_page()
    {
        var (tenantId, first) = await system.NewUserAsync();
        var second = await NewUserAsync(tenantId);
        var third = await NewUserAsync(tenantId);
        var (appId, app) = await NewAppAsync(tenantId);
        var (otherTenant, outsider) = await system.NewUserAsync();
        var parent = (await system.Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "parent" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var child = (await system.Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "child", parentId = parent }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        (await system.Api.PutAsync($"/v1/orgs/{parent}/members/{first}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/orgs/{child}/members/{second}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        await using var firstDevice = await RegisteredAsync(tenantId, first);

        // An org reaches its members and those of the orgs below it; a tenant and an app broadcast every user of the tenant.
        var toOrg = await SendAsync(app, $"{parent}@org");
        var toTenant = await SendAsync(app, $"{tenantId}@tenant");
        var broadcast = await SendAsync(app, $"{appId}@app");

        Assert.Equal(new[] { first, second }.Order(), (await AllRecipientsAsync(app, toOrg)).Keys.Order());
        var everyone = new[] { first, second, third }.Order().ToArray();
        var tenantRecipients = await AllRecipientsAsync(app, toTenant);
        Assert.Equal(everyone, tenantRecipients.Keys.Order());
        Assert.Equal(everyone, (await AllRecipientsAsync(system.AdminKey, broadcast)).Keys.Order());
        Assert.DoesNotContain(outsider, tenantRecipients.Keys);
        // The online user's terminal is delivered to; the others have no terminal known (never registered).
        Assert.Equal("delivered", tenantRecipients[first].EnumerateArray().Single().GetProperty("state").GetString());
        Assert.Empty(tenantRecipients[third].EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/messages/{toTenant}/delivery", (await NewAppAsync(otherTenant)).Credential)).Status);
    }

    /// <summary>The acknowledgement time stored with the user's inbox cursor (raw row), or null.</summary>
    private async Task<DateTimeOffset?> StoredAckTimeAsync(string userId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(system.Deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT acked_at FROM msg_cursors WHERE user_id = $1 AND timeline = $2", connection);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue($"{userId}@user");
        return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    /// <summary>Every recipient of a message, read one per page (so the paging is walked), with its terminals.</summary>
    private async Task<Dictionary<string, JsonElement>> AllRecipientsAsync(string credential, string messageId)
    {
        var recipients = new Dictionary<string, JsonElement>();
        string? after = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = (await system.Api.GetAsync($"/v1/messages/{messageId}/delivery?limit=1{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}", credential))
                .Expect(HttpStatusCode.OK).Body;
            Assert.True(page.GetProperty("recipientsListed").GetBoolean(), $"recipients not listed: {page}");
            foreach (var recipient in page.GetProperty("recipients").EnumerateArray())
            {
                Assert.True(recipients.TryAdd(recipient.GetProperty("userId").GetString()!, recipient.GetProperty("terminals").Clone()), "a recipient listed twice");
            }

            Assert.True(page.GetProperty("recipients").GetArrayLength() <= 1);
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return recipients;
            }

            after = page.GetProperty("next").GetString();
        }

        throw new Xunit.Sdk.XunitException("more than 20 pages");
    }

    private sealed class Registered(RawDevice device, string sessionId) : IAsyncDisposable
    {
        public RawDevice Device { get; } = device;

        public string SessionId { get; } = sessionId;

        public ValueTask DisposeAsync() => Device.DisposeAsync();
    }

    private async Task<string> StateAsync(string credential, string messageId, string userId) =>
        (await TerminalAsync(credential, messageId, userId)).GetProperty("state").GetString()!;

    private async Task<JsonElement> TerminalAsync(string credential, string messageId, string userId)
    {
        var answer = (await system.Api.GetAsync($"/v1/messages/{messageId}/delivery", credential)).Expect(HttpStatusCode.OK);
        var recipient = answer.Body.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("userId").GetString() == userId);
        return recipient.GetProperty("terminals").EnumerateArray().Single();
    }

    private async Task<string> SendAsync(string credential, string to) =>
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { to }, type = "text", content = new { text = "tracked" } }, credential))
            .Expect(HttpStatusCode.OK).Body.GetProperty("results")[0].GetProperty("id").GetString()!;

    private async Task<string> NewUserAsync(string tenantId) =>
        (await system.Api.PostAsync("/v1/users", new { tenantId, username = "d" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];

    private async Task<(string AppId, string Credential)> NewAppAsync(string tenantId)
    {
        var created = (await system.Api.PostAsync("/v1/apps", new { tenantId, name = "delivery app" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        return (created["id"], $"{created["id"]}:{created["secret"]}");
    }

    private async Task<Registered> RegisteredAsync(string tenantId, string userId)
    {
        var token = await system.LoginAsync(tenantId, userId);
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        var answer = await device.RegisterAsync(userId, token);
        Assert.Equal((byte)RegisterResultCode.Ok, answer.Code);
        await system.WaitUntilLiveAsync(userId);
        return new Registered(device, JsonDocument.Parse(answer.JsonAfterCode).RootElement.GetProperty("sessionId").GetString()!);
    }
}
