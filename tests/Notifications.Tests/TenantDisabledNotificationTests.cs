using System.Net;
using AppMsg.Grains.Notifications;
using AppMsg.Testing;

namespace AppMsg.Notifications.Tests;

/// <summary>
/// Notifications of a disabled tenant (docs/directory-people.md, "Disabling a tenant"): one accepted before the change
/// and not yet out (here a retry waiting out the provider's Retry-After) is dropped, counted as failed with the reason
/// <c>tenant_disabled</c>, never sent; once the tenant is enabled, new messages are notified again.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class TenantDisabledNotificationTests(NotificationSystem system)
{
    [Fact]
    public async Task A_notification_accepted_before_the_tenant_was_disabled_is_dropped_and_counted_not_sent()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);
        await system.SetUpApnsAsync(appId, credential);
        var token = await system.RegisterIosAsync(userId, appId, credential);
        system.Providers.Script(token, new FakeProviders.Answer(429, """{"reason":"TooManyRequests"}""", RetryAfterSeconds: 4));

        await system.SendAsync($"{userId}@user", "accepted before", credential);
        await system.Providers.WaitForAsync(token, 1, TimeSpan.FromSeconds(10));
        (await system.Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = true }, system.AdminKey)).Expect(HttpStatusCode.OK);

        // The retry comes due 4 s after the first request, finds the tenant disabled, and is dropped.
        var metrics = system.SiloServices<PushMetrics>();
        await Eventually.ReturnsAsync(() => Task.FromResult(metrics.Snapshot(appId).GetValueOrDefault(PushPipeline.DroppedForDisabledTenant)),
            dropped => dropped == 1, TimeSpan.FromSeconds(15), "the retry dropped for the disabled tenant");
        Assert.Single(system.Providers.For(token));
        Assert.Equal(0, metrics.Snapshot(appId).GetValueOrDefault("sent"));

        (await system.Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = false }, system.AdminKey)).Expect(HttpStatusCode.OK);
        var after = await system.SendAsync($"{userId}@user", "after", credential);
        var requests = await system.Providers.WaitForAsync(token, 2, TimeSpan.FromSeconds(10));
        Assert.Equal(after, requests[1].Body.GetProperty("messageId").GetString());
    }
}
