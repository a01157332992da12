using System.Net;
using AppMsg.Testing;

namespace AppMsg.Notifications.Tests;

[Collection(NotificationCollection.Name)]
public sealed class BroadcastTests(NotificationSystem system)
{
    [Fact]
    public async Task An_org_message_notifies_the_registered_members_of_the_org_and_its_sub_orgs_once_each()
    {
        var (tenantId, member) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var subMember = await system.NewUserInAsync(tenantId);
        var outsider = await system.NewUserInAsync(tenantId);
        var parent = (await system.Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "Company" }, credential)).Expect(HttpStatusCode.Created)["id"];
        var child = (await system.Api.PostAsync($"/v1/tenants/{tenantId}/orgs", new { name = "Team", parentId = parent }, credential)).Expect(HttpStatusCode.Created)["id"];
        (await system.Api.PutAsync($"/v1/orgs/{parent}/members/{member}", null, credential)).Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/orgs/{child}/members/{subMember}", null, credential)).Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/orgs/{child}/members/{member}", null, credential)).Expect(HttpStatusCode.NoContent);
        var memberToken = await system.RegisterIosAsync(member, appId, credential);
        var subMemberToken = await system.RegisterIosAsync(subMember, appId, credential);
        var outsiderToken = await system.RegisterIosAsync(outsider, appId, credential);

        var messageId = await system.SendAsync($"{parent}@org", "to the company", credential);

        Assert.Single(await system.Providers.WaitForAsync(memberToken, 1));
        Assert.Single(await system.Providers.WaitForAsync(subMemberToken, 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(system.Providers.For(memberToken));
        Assert.Empty(system.Providers.For(outsiderToken));
        var request = system.Providers.For(subMemberToken).Single();
        Assert.True(request.Valid);
        Assert.Equal(messageId, request.Body.GetProperty("messageId").GetString());
        Assert.Equal("to the company", request.Body.GetProperty("aps").GetProperty("alert").GetProperty("body").GetString());
        Assert.Equal($"{parent}@org", request.Headers["apns-collapse-id"]);
    }

    [Fact]
    public async Task Tenant_and_app_broadcasts_notify_every_registered_user_of_the_tenant_but_not_another_tenant()
    {
        var (tenantId, first) = await system.NewUserAsync();
        var second = await system.NewUserInAsync(tenantId);
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var tokens = new[] { await system.RegisterIosAsync(first, appId, credential), await system.RegisterIosAsync(second, appId, credential) };
        var (otherTenant, stranger) = await system.NewUserAsync();
        var (otherApp, otherCredential) = await system.NewAppAsync(otherTenant);
        await system.SetUpApnsAsync(otherApp, otherCredential);
        var strangerToken = await system.RegisterIosAsync(stranger, otherApp, otherCredential);

        var tenantMessage = await system.SendAsync($"{tenantId}@tenant", "to the tenant", credential);
        var appMessage = await system.SendAsync($"{appId}@app", "to the app's users", credential);

        foreach (var token in tokens)
        {
            var requests = await system.Providers.WaitForAsync(token, 2);
            Assert.Equal(new HashSet<string> { tenantMessage, appMessage }, requests.Select(r => r.Body.GetProperty("messageId").GetString()!).ToHashSet());
            Assert.All(requests, r => Assert.True(r.Valid));
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(tokens, token => Assert.Equal(2, system.Providers.For(token).Count));
        Assert.Empty(system.Providers.For(strangerToken));
    }

    [Fact]
    public async Task A_tenant_broadcast_over_more_devices_than_one_page_notifies_each_device_exactly_once()
    {
        // 30 users with 70 devices each: 2,100 devices, more than a page, and pages that end inside a user's devices.
        var (tenantId, first) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var users = new List<string> { first };
        for (var i = 1; i < 30; i++)
        {
            users.Add(await system.NewUserInAsync(tenantId));
        }

        var devices = users.SelectMany(u => Enumerable.Range(0, 70).Select(d => (UserId: u, DeviceId: $"phone{d}"))).ToArray();
        Assert.True(devices.Length > Grains.Notifications.PushPipeline.BroadcastPage);
        var tokens = new string[devices.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, devices.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            tokens[i] = await system.RegisterIosAsync(devices[i].UserId, appId, credential, devices[i].DeviceId));

        var messageId = await system.SendAsync($"{tenantId}@tenant", "to all 2,100 phones", credential);

        List<ProviderRequest> Received() => [.. system.Providers.Requests.Where(r => r.Body.ValueKind == System.Text.Json.JsonValueKind.Object
            && r.Body.TryGetProperty("messageId", out var id) && id.GetString() == messageId)];
        await Eventually.ReturnsAsync(() => Task.FromResult(Received().Count), n => n >= tokens.Length, TimeSpan.FromSeconds(60), $"{tokens.Length} APNs requests");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var received = Received();
        Assert.Equal(tokens.Length, received.Count);
        Assert.Equal(tokens.ToHashSet(), received.Select(r => r.Target).ToHashSet());
        Assert.All(received, r => Assert.True(r.Valid));
    }
}
