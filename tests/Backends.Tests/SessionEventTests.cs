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
        Assert.True(online[0].Seq > 0, "a stored event has its seq");
        Assert.NotEmpty(online[0].Id);

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
        Assert.Equal([.. both.Take(2).Select(e => e.Id)], posted.Where(x => x.Kind == "session").Select(x => x.Json.GetProperty("event").GetProperty("id").GetString()));
        Assert.All(posted.Where(x => x.Kind == "session"), p => Assert.Equal($"{appId}:session:{p.Json.GetProperty("event").GetProperty("id").GetString()}", p.DeliveryId));
        var acknowledged = await Eventually.ReturnsAsync(() => system.Cluster.GetGrain<IAppUpstreamGrain>(appId).GetStatusAsync(),
            s => s.Any(g => g.Group == "session-events:shared" && g.Acknowledged >= both[1].Seq), TimeSpan.FromSeconds(10), "the observer's events acknowledged");
        Assert.Equal(["presence-watch"], acknowledged.Single(g => g.Group == "session-events:shared").Subscribers);
    }

    [Fact]
    public async Task An_event_an_observer_did_not_acknowledge_reaches_it_again_after_a_silo_restart()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        await using var probe = await ProbeProcess.StartAsync(system, appId, "presence-probe", "--mode", "broadcast", "--session-events", "--no-ack");

        var device = await system.DeviceAsync(tenantId, userId);
        var online = (await Eventually.ReturnsAsync(() => Task.FromResult(SessionLines(probe)), l => l.Count >= 1, TimeSpan.FromSeconds(20),
            $"the online event at the probe; output: {probe.Output}"))[0];
        Assert.Equal("online", online.GetProperty("type").GetString());
        var seenBefore = SessionLines(probe).Count;

        await device.DisposeAsync();
        await system.RestartAsync();

        // The probe (another process) reconnects and renews; the event it never acknowledged comes again from the store.
        var again = await Eventually.ReturnsAsync(() => Task.FromResult(SessionLines(probe).Skip(seenBefore).ToList()),
            l => l.Any(e => e.GetProperty("id").GetString() == online.GetProperty("id").GetString()), TimeSpan.FromSeconds(60),
            $"the online event again after the restart; output: {probe.Output}");
        var repeated = again.First(e => e.GetProperty("id").GetString() == online.GetProperty("id").GetString());
        Assert.Equal(online.GetProperty("seq").GetInt64(), repeated.GetProperty("seq").GetInt64());
        Assert.Equal(online.GetProperty("sessionId").GetString(), repeated.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task An_event_the_webhook_has_not_taken_reaches_it_after_a_silo_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Behaviour = WebhookBehaviour.Fail;
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId, receiver.Url);
        (await system.Api.PutAsync($"/v1/apps/{appId}/webhook", new { sessionEvents = true, maxAttempts = 20, initialBackoffMs = 500 }, credential))
            .Expect(HttpStatusCode.OK);

        var device = await system.DeviceAsync(tenantId, userId);
        var failed = (await receiver.WaitForAsync(r => r.Any(x => x.Kind == "session"), "a failed attempt of the online event")).First(x => x.Kind == "session");
        var onlineId = failed.Json.GetProperty("event").GetProperty("id").GetString();
        Assert.Equal("online", failed.Json.GetProperty("event").GetProperty("type").GetString());

        await device.DisposeAsync();
        await system.RestartAsync();
        receiver.Behaviour = WebhookBehaviour.Ok;

        // Nothing in memory survived: the webhook grain reads the stored event from its cursor (woken by its reminder or the next event).
        var delivered = await receiver.WaitForAsync(
            r => r.Any(x => x.AnsweredWith == WebhookBehaviour.Ok && x.Kind == "session" && x.Json.GetProperty("event").GetProperty("id").GetString() == onlineId),
            "the online event delivered after the restart", seconds: 90);
        var ok = delivered.First(x => x.AnsweredWith == WebhookBehaviour.Ok && x.Kind == "session" && x.Json.GetProperty("event").GetProperty("id").GetString() == onlineId);
        Assert.Equal(failed.DeliveryId, ok.DeliveryId);
        Assert.Equal(failed.Json.GetProperty("event").GetProperty("seq").GetInt64(), ok.Json.GetProperty("event").GetProperty("seq").GetInt64());
    }

    private static List<System.Text.Json.JsonElement> SessionLines(ProbeProcess probe) =>
        [.. probe.Lines().Where(l => l.GetProperty("event").GetString() == "session")];
}
