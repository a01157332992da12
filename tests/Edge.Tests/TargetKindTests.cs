using System.Net;
using System.Text.Json;
using AppMsg.Grains.Sessions;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>Each kind of push target reaches exactly the terminals it should, and no others.</summary>
public sealed class TargetKindTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task A_message_to_an_org_reaches_the_members_of_the_org_and_of_its_sub_orgs_only()
    {
        var (tenantId, rootMember) = await system.NewUserAsync();
        var subMember = await NewUserAsync(tenantId);
        var outsider = await NewUserAsync(tenantId);
        var root = (await system.Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "company" }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var sub = (await system.Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "sales", parentId = root }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        (await system.Api.PutAsync($"/v1/orgs/{root}/members/{rootMember}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/orgs/{sub}/members/{subMember}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        await using var rootDevice = await RegisteredAsync(tenantId, rootMember);
        await using var subDevice = await RegisteredAsync(tenantId, subMember);
        await using var outsiderDevice = await RegisteredAsync(tenantId, outsider);

        var result = await SendAsync(system.AdminKey, $"{root}@org", "to everyone");
        Assert.Equal($"{root}@org", result.GetProperty("timeline").GetString());
        Assert.Equal("to everyone", await ReceiveTextAsync(rootDevice));
        Assert.Equal("to everyone", await ReceiveTextAsync(subDevice));

        await SendAsync(system.AdminKey, $"{sub}@org", "to sales");
        Assert.Equal("to sales", await ReceiveTextAsync(subDevice));
        await AssertSilentAsync(rootDevice, outsiderDevice);

        // A member of the sub-org who was offline gets the parent org's message on replay too.
        await subDevice.DisposeAsync();
        await SendAsync(system.AdminKey, $"{root}@org", "while away");
        await using var back = await RegisteredAsync(tenantId, subMember);
        Assert.Equal("while away", await ReceiveTextAsync(back));
    }

    [Fact]
    public async Task A_message_to_a_tenant_reaches_its_users_and_no_other_tenant()
    {
        var (tenantId, first) = await system.NewUserAsync();
        var second = await NewUserAsync(tenantId);
        var (otherTenant, stranger) = await system.NewUserAsync();
        await using var firstDevice = await RegisteredAsync(tenantId, first);
        await using var secondDevice = await RegisteredAsync(tenantId, second, TerminalType.Web);
        await using var strangerDevice = await RegisteredAsync(otherTenant, stranger);

        await SendAsync(system.AdminKey, $"{tenantId}@tenant", "maintenance tonight");

        Assert.Equal("maintenance tonight", await ReceiveTextAsync(firstDevice));
        Assert.Equal("maintenance tonight", await ReceiveTextAsync(secondDevice));
        await AssertSilentAsync(strangerDevice);
        var userToken = await system.LoginAsync(tenantId, first);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(userToken, $"{tenantId}@tenant", "no")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(await AppCredentialAsync(otherTenant), $"{tenantId}@tenant", "no")).Status);
    }

    [Fact]
    public async Task An_app_broadcast_reaches_its_tenants_users_and_anonymous_sessions_but_not_users_who_muted_it()
    {
        var tenantId = (await system.Api.PostAsync("/v1/tenants", new { name = "public", settings = new { oneSessionPerTerminalType = true, androidIosExclusive = false, allowAnonymousSessions = true } }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        var listener = await NewUserAsync(tenantId);
        var muter = await NewUserAsync(tenantId);
        var (otherTenant, stranger) = await system.NewUserAsync();
        var app = await AppCredentialAsync(tenantId);
        var appId = app.Split(':')[0];
        var anonymousEdge = system.Deployment.EdgeSettings("edge-anonymous") with { AnonymousTenantId = tenantId };
        await system.StartAnotherEdgeAsync(anonymousEdge);
        (await system.Api.PutAsync($"/v1/users/{muter}/mutes/{appId}@app", null, await system.LoginAsync(tenantId, muter))).Expect(HttpStatusCode.NoContent);
        await using var anonymous = await RawDevice.ConnectAsync(anonymousEdge.TcpPort);
        Assert.Equal((byte)RegisterResultCode.Ok, (await anonymous.RegisterAsync("", "", TerminalType.Web)).Code);
        await using var listenerDevice = await RegisteredAsync(tenantId, listener);
        await using var muterDevice = await RegisteredAsync(tenantId, muter);
        await using var strangerDevice = await RegisteredAsync(otherTenant, stranger);
        // Broadcasts go to the edges a silo knows of; a new edge is known within a second of its start.
        await Eventually.ReturnsAsync(async () => (await system.SiloServices<LiveEdges>().GetAsync()).Contains(anonymousEdge.EdgeId),
            known => known, TimeSpan.FromSeconds(10), "the silo knows the new edge");

        var result = await SendAsync(app, $"{appId}@app", "new version out");

        Assert.Equal($"{appId}@app", result.GetProperty("timeline").GetString());
        Assert.Equal("new version out", await ReceiveTextAsync(anonymous));
        Assert.Equal("new version out", await ReceiveTextAsync(listenerDevice));
        await AssertSilentAsync(muterDevice, strangerDevice);
        var otherApp = await AppCredentialAsync(tenantId);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(otherApp, $"{appId}@app", "as someone else")).Status);
    }

    [Fact]
    public async Task Muting_an_app_while_connected_stops_its_broadcasts_at_once_and_unmuting_resumes_them()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var app = await AppCredentialAsync(tenantId);
        var sender = $"{app.Split(':')[0]}@app";
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RegisteredAsync(tenantId, userId);
        await SendAsync(app, sender, "before");
        Assert.Equal("before", await ReceiveTextAsync(device));

        (await system.Api.PutAsync($"/v1/users/{userId}/mutes/{sender}", null, token)).Expect(HttpStatusCode.NoContent);
        await Eventually.ReturnsAsync(() => Task.FromResult(system.EdgeServices<Devices.DeviceConnections>().OfUser(userId)),
            live => live.All(c => c.IsMuting(sender)), TimeSpan.FromSeconds(10), "the edge applies the mute");
        await SendAsync(app, sender, "muted");
        await AssertSilentAsync(device);

        (await system.Api.DeleteAsync($"/v1/users/{userId}/mutes/{sender}", token)).Expect(HttpStatusCode.NoContent);
        await Eventually.ReturnsAsync(() => Task.FromResult(system.EdgeServices<Devices.DeviceConnections>().OfUser(userId)),
            live => live.All(c => !c.IsMuting(sender)), TimeSpan.FromSeconds(10), "the edge applies the unmute");
        await SendAsync(app, sender, "after");
        Assert.Equal("after", await ReceiveTextAsync(device));
    }

    [Fact]
    public async Task A_session_target_and_the_session_filter_reach_only_the_sessions_named_and_the_mask_limits_types()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (android, androidSession) = await RegisteredWithSessionAsync(tenantId, userId, TerminalType.Android);
        var (pc, pcSession) = await RegisteredWithSessionAsync(tenantId, userId, TerminalType.Pc);
        await using var _ = android;
        await using var __ = pc;

        var toSession = await SendAsync(system.AdminKey, $"{androidSession}@session", "just you");
        Assert.Equal($"{userId}@user", toSession.GetProperty("timeline").GetString());
        Assert.Equal($"{androidSession}@session", toSession.GetProperty("to").GetString());
        Assert.Equal("just you", await ReceiveTextAsync(android));
        await AssertSilentAsync(pc);

        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "filtered" }, sessions = new[] { pcSession } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("filtered", await ReceiveTextAsync(pc));
        await AssertSilentAsync(android);

        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "android only" }, terminalTypes = (int)TerminalType.Android }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("android only", await ReceiveTextAsync(android));
        await AssertSilentAsync(pc);

        Assert.Equal(HttpStatusCode.NotFound, (await Send(system.AdminKey, $"{Ids.New()}@session", "x")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(await system.LoginAsync(tenantId, userId), $"{androidSession}@session", "x")).Status);
        var badFilter = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "x" }, sessions = "some" }, system.AdminKey);
        Assert.Equal("validation_failed", badFilter.Code);
    }

    [Fact]
    public async Task Unknown_kinds_foreign_targets_mismatched_content_and_oversized_content_are_refused_and_nothing_is_stored()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (otherTenant, _) = await system.NewUserAsync();
        var app = await AppCredentialAsync(otherTenant);

        Assert.Equal("validation_failed", (await Send(system.AdminKey, $"{userId}@planet", "x")).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(app, $"{userId}@user", "x")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(app, $"{tenantId}@tenant", "x")).Status);
        var mismatched = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "image", content = new { text = "not an image" } }, system.AdminKey);
        Assert.Equal("validation_failed", mismatched.Code);
        var huge = await Send(system.AdminKey, $"{userId}@user", new string('x', 40_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal("too_large", huge.Code);

        var history = (await system.Api.GetAsync($"/v1/timelines/{userId}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, history.Body.GetProperty("messages").GetArrayLength());
    }

    private Task<ApiClient.Response> Send(string credential, string to, string text) =>
        system.Api.PostAsync("/v1/messages", new { to = new[] { to }, type = "text", content = new { text } }, credential);

    private async Task<JsonElement> SendAsync(string credential, string to, string text) =>
        (await Send(credential, to, text)).Expect(HttpStatusCode.OK).Body.GetProperty("results")[0];

    private async Task<string> NewUserAsync(string tenantId) =>
        (await system.Api.PostAsync("/v1/users", new { tenantId, username = "t" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];

    private async Task<string> AppCredentialAsync(string tenantId)
    {
        var created = (await system.Api.PostAsync("/v1/apps", new { tenantId, name = "broadcaster" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        return $"{created["id"]}:{created["secret"]}";
    }

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId, TerminalType terminalType = TerminalType.Android) =>
        (await RegisteredWithSessionAsync(tenantId, userId, terminalType)).Device;

    private async Task<(RawDevice Device, string SessionId)> RegisteredWithSessionAsync(string tenantId, string userId, TerminalType terminalType)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        var answer = await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, (int)terminalType), terminalType);
        Assert.Equal(0, answer.Code);
        await system.WaitUntilLiveAsync(userId);
        return (device, JsonDocument.Parse(answer.JsonAfterCode).RootElement.GetProperty("sessionId").GetString()!);
    }

    private static async Task<string?> ReceiveTextAsync(RawDevice device)
    {
        var frame = await device.ReceiveAsync();
        Assert.True(frame.Type is MessageType.Push or MessageType.Im, $"expected a message, got {frame.Type}");
        await device.AcknowledgeAsync(frame);
        return frame.Envelope().GetProperty("content").GetProperty("text").GetString();
    }

    private static async Task AssertSilentAsync(params RawDevice[] devices)
    {
        await Task.WhenAll(devices.Select(d => Assert.ThrowsAnyAsync<OperationCanceledException>(() => d.ReceiveAsync(Quiet))));
    }
}
