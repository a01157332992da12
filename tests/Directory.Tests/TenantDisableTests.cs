using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>
/// <c>PATCH /v1/tenants/{id} {disabled}</c>: every door of a disabled tenant is shut on every edge (logins, REGISTERs,
/// its apps' and users' API calls, the operator's messages to it, its live sessions kicked), nothing is deleted, and
/// enabling it opens them all again with the credentials it had.
/// </summary>
public sealed class TenantDisableTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(2);

    private readonly Seed seed = new(system);

    private ApiClient Api => system.Api;

    [Fact]
    public async Task A_disabled_tenant_is_refused_at_every_door_on_every_edge_and_enabling_restores_all()
    {
        var tenantId = (await Api.PostAsync("/v1/tenants", new { name = "shut", settings = new { allowAnonymousSessions = true } }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        var (_, app) = await seed.AppAsync(tenantId);
        var userId = await seed.UserAsync(tenantId, "shut-user");
        var token = await seed.LoginAsync(tenantId, "shut-user");
        var webToken = await seed.LoginAsync(tenantId, "shut-user", terminalType: 8);
        var (otherTenant, otherUser) = await system.NewUserAsync();

        // A second edge, whose anonymous sessions belong to the tenant: the change is made through the first.
        var secondSettings = system.Deployment.EdgeSettings("edge-2") with { AnonymousTenantId = tenantId };
        await system.StartAnotherEdgeAsync(secondSettings);
        using var secondApi = new ApiClient(new Uri($"http://127.0.0.1:{secondSettings.HttpPort}"));
        await using var phone = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await phone.RegisterAsync(userId, token)).Code);
        await using var browser = await RawDevice.ConnectAsync(secondSettings.TcpPort);
        Assert.Equal(0, (await browser.RegisterAsync(userId, webToken, TerminalType.Web)).Code);
        await using var anonymous = await RawDevice.ConnectAsync(secondSettings.TcpPort);
        Assert.Equal(0, (await anonymous.RegisterAsync("", "", TerminalType.Web)).Code);
        await using var bystander = await RawDevice.ConnectAsync(secondSettings.TcpPort);
        Assert.Equal(0, (await bystander.RegisterAsync(otherUser, await system.LoginAsync(otherTenant, otherUser))).Code);
        (await secondApi.GetAsync($"/v1/tenants/{tenantId}", app)).Expect(HttpStatusCode.OK);

        var disabled = (await Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = true }, system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.True(disabled.Body.GetProperty("disabled").GetBoolean());

        // Live sessions, on both edges, anonymous ones included: KICK 4 and closed.
        foreach (var device in new[] { phone, browser, anonymous })
        {
            var kick = await device.ReceiveAsync(Quickly);
            Assert.Equal(MessageType.Kick, kick.Type);
            Assert.Equal((byte)KickReason.LoggedOut, kick.Code);
            Assert.True(await device.IsClosedByServerAsync(Quickly));
        }

        Assert.Equal(0, (await bystander.PingAsync()).Code);

        // The other edge refuses the tenant's app and user at once (told by the cluster, not after its cache ages).
        await Eventually.ReturnsAsync(() => secondApi.GetAsync($"/v1/tenants/{tenantId}", app), r => r.Status == HttpStatusCode.Forbidden, Quickly, "the app refused on the second edge");
        foreach (var api in new[] { Api, secondApi })
        {
            var refused = (await api.GetAsync($"/v1/tenants/{tenantId}", app)).Expect(HttpStatusCode.Forbidden);
            Assert.Equal("tenant_disabled", refused.Code);
            Assert.Equal("tenant_disabled", (await api.GetAsync($"/v1/users/{userId}", token)).Expect(HttpStatusCode.Forbidden).Code);
            Assert.Equal("tenant_disabled", (await api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "from the app" } }, app))
                .Expect(HttpStatusCode.Forbidden).Code);
        }

        // Logins: refused once the password is right (a wrong one learns nothing new).
        Assert.Equal("tenant_disabled", (await Api.PostAsync("/v1/auth/login", new { tenantId, username = "shut-user", password = "correct horse", terminalType = 1 }))
            .Expect(HttpStatusCode.Forbidden).Code);
        Assert.Equal("unauthorized", (await Api.PostAsync("/v1/auth/login", new { tenantId, username = "shut-user", password = "wrong horse", terminalType = 1 }))
            .Expect(HttpStatusCode.Unauthorized).Code);

        // REGISTER with the valid token, and anonymous ones: authentication failed.
        await using (var again = await RawDevice.ConnectAsync(system.TcpPort))
        {
            Assert.Equal((byte)RegisterResultCode.AuthenticationFailed, (await again.RegisterAsync(userId, token)).Code);
        }

        await using (var again = await RawDevice.ConnectAsync(secondSettings.TcpPort))
        {
            Assert.Equal((byte)RegisterResultCode.AuthenticationFailed, (await again.RegisterAsync("", "", TerminalType.Web)).Code);
        }

        // The operator's messages to it are refused too; the operator still reads it, and nothing was deleted.
        Assert.Equal("tenant_disabled", (await Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "operator" } }, system.AdminKey))
            .Expect(HttpStatusCode.Forbidden).Code);
        Assert.True((await Api.GetAsync($"/v1/tenants/{tenantId}", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("disabled").GetBoolean());
        Assert.Equal("shut-user", (await Api.GetAsync($"/v1/users/{userId}", system.AdminKey)).Expect(HttpStatusCode.OK)["username"]);
        var listed = (await Api.GetAsync("/v1/tenants?search=shut", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("tenants");
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("id").GetString() == tenantId && t.GetProperty("disabled").GetBoolean());

        // Enabled again: the same credentials work everywhere at once.
        var enabled = (await Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = false }, system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.False(enabled.Body.GetProperty("disabled").GetBoolean());
        await Eventually.ReturnsAsync(() => secondApi.GetAsync($"/v1/users/{userId}", token), r => r.Status == HttpStatusCode.OK, Quickly, "the user served on the second edge");
        (await secondApi.GetAsync($"/v1/tenants/{tenantId}", app)).Expect(HttpStatusCode.OK);
        (await Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "back" } }, app)).Expect(HttpStatusCode.OK);
        (await Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "operator back" } }, system.AdminKey)).Expect(HttpStatusCode.OK);
        await seed.LoginAsync(tenantId, "shut-user");
        await using var returning = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await returning.RegisterAsync(userId, token)).Code);
        await using var anonymousAgain = await RawDevice.ConnectAsync(secondSettings.TcpPort);
        Assert.Equal(0, (await anonymousAgain.RegisterAsync("", "", TerminalType.Web)).Code);
    }

    [Fact]
    public async Task Only_the_operator_disables_or_renames_a_tenant_and_bad_changes_are_refused()
    {
        var tenantId = await seed.TenantAsync("renamed-before");
        var (_, app) = await seed.AppAsync(tenantId);

        Assert.Equal("forbidden", (await Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = true }, app)).Expect(HttpStatusCode.Forbidden).Code);
        (await Api.GetAsync($"/v1/tenants/{tenantId}", app)).Expect(HttpStatusCode.OK);
        Assert.Equal("not_found", (await Api.PatchAsync("/v1/tenants/0000000000000000", new { disabled = true }, system.AdminKey)).Expect(HttpStatusCode.NotFound).Code);
        Assert.Equal("validation_failed", (await Api.PatchAsync($"/v1/tenants/{tenantId}", new { name = " " }, system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("validation_failed", (await Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = "yes" }, system.AdminKey)).Expect(HttpStatusCode.BadRequest).Code);

        var renamed = (await Api.PatchAsync($"/v1/tenants/{tenantId}", new { name = "renamed-after" }, system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("renamed-after", renamed["name"]);
        Assert.False(renamed.Body.GetProperty("disabled").GetBoolean());
        var listed = (await Api.GetAsync("/v1/tenants?search=renamed-", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("tenants");
        Assert.Equal("renamed-after", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
    }
}
