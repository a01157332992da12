using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

[Collection(BackendCollection.Name)]
public sealed class SessionEventTests(BackendSystem system)
{
    [Fact]
    public async Task Online_and_offline_events_reach_subscribed_observers_and_webhooks_of_the_tenants_apps()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId, receiver.Url);
        (await system.Api.PutAsync($"/v1/apps/{appId}/webhook", new { sessionEvents = true }, credential)).Expect(HttpStatusCode.OK);
        await using var watcher = new RecordingBackend(system.Cluster, appId, new BackendSubscription("presence-watch", SessionEvents: true));
        await using var deaf = new RecordingBackend(system.Cluster, appId, new BackendSubscription("no-events"));
        await watcher.SubscribeAsync();
        await deaf.SubscribeAsync();
        var (otherTenant, stranger) = await system.NewUserAsync();

        var device = await system.DeviceAsync(tenantId, userId, TerminalType.Ios);
        await using var elsewhere = await system.DeviceAsync(otherTenant, stranger);
        var online = await Eventually.ReturnsAsync(() => Task.FromResult(watcher.Events.ToList()), e => e.Count >= 1, TimeSpan.FromSeconds(10), "online event");
        Assert.Equal(SessionEventKind.Online, online[0].Kind);
        Assert.Equal(userId, online[0].UserId);
        Assert.Equal(2, online[0].TerminalType);
        Assert.Equal(system.EdgeSettings.EdgeId, online[0].EdgeId);

        await device.DisposeAsync();
        var both = await Eventually.ReturnsAsync(() => Task.FromResult(watcher.Events.ToList()), e => e.Count >= 2, TimeSpan.FromSeconds(10), "offline event");
        Assert.Equal(SessionEventKind.Offline, both[1].Kind);
        Assert.Equal(online[0].SessionId, both[1].SessionId);
        Assert.DoesNotContain(both, e => e.UserId == stranger);
        Assert.Empty(deaf.Events);

        var posted = await receiver.WaitForAsync(r => r.Count(x => x.Kind == "session") >= 2, "two session events at the webhook");
        var types = posted.Where(x => x.Kind == "session").Select(x => x.Json.GetProperty("event").GetProperty("type").GetString()).ToList();
        Assert.Equal(["online", "offline"], types);
        Assert.All(posted, p => Assert.Equal(userId, p.Json.GetProperty("event").GetProperty("userId").GetString()));
    }
}
