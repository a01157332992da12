using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

[Collection(BackendCollection.Name)]
public sealed class ObserverBackendTests(BackendSystem system)
{
    [Fact]
    public async Task A_backend_in_another_process_gets_the_apps_messages_in_order_and_acknowledges_them()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        await using var probe = await ProbeProcess.StartAsync(system, appId, "probe-a", "--mode", "broadcast");

        for (var i = 1; i <= 3; i++)
        {
            await system.SendToAppAsync(appId, userId, $"hello {i}");
        }

        var seqs = await probe.WaitForSeqsAsync(s => s.Count >= 3, "three messages at the probe");
        Assert.Equal([1, 2, 3], seqs);
        var first = probe.Lines().First(l => l.GetProperty("event").GetString() == "message");
        Assert.Equal($"{userId}@user", first.GetProperty("from").GetString());
        Assert.Equal("hello 1", first.GetProperty("message").GetProperty("content").GetProperty("text").GetString());
        await Eventually.ReturnsAsync(() => Upstream(appId).GetStatusAsync(), s => s.Single().Acknowledged == 3, TimeSpan.FromSeconds(10), "all three acknowledged");
    }

    [Fact]
    public async Task A_backend_that_was_down_gets_everything_it_missed_when_it_comes_back()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        var probe = await ProbeProcess.StartAsync(system, appId, "probe-b", "--mode", "broadcast");
        await system.SendToAppAsync(appId, userId, "before 1");
        await system.SendToAppAsync(appId, userId, "before 2");
        await probe.WaitForSeqsAsync(s => s.Count >= 2, "the first two");
        await Eventually.ReturnsAsync(() => Upstream(appId).GetStatusAsync(), s => s.Single().Acknowledged == 2, TimeSpan.FromSeconds(10), "both acknowledged");

        await probe.DisposeAsync();
        for (var i = 3; i <= 5; i++)
        {
            await system.SendToAppAsync(appId, userId, $"while down {i}");
        }

        await using var back = await ProbeProcess.StartAsync(system, appId, "probe-b", "--mode", "broadcast");
        var seqs = await back.WaitForSeqsAsync(s => s.Count >= 3, "what it missed");
        Assert.Equal([3, 4, 5], seqs);
    }

    [Fact]
    public async Task Acknowledged_cursors_and_unacknowledged_messages_survive_a_silo_restart()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        var probe = await ProbeProcess.StartAsync(system, appId, "probe-c", "--mode", "broadcast");
        await system.SendToAppAsync(appId, userId, "acknowledged 1");
        await system.SendToAppAsync(appId, userId, "acknowledged 2");
        await probe.WaitForSeqsAsync(s => s.Count >= 2, "the first two");
        await Eventually.ReturnsAsync(() => Upstream(appId).GetStatusAsync(), s => s.Single().Acknowledged == 2, TimeSpan.FromSeconds(10), "both acknowledged");
        await probe.DisposeAsync();
        await system.SendToAppAsync(appId, userId, "never acknowledged 3");
        await system.SendToAppAsync(appId, userId, "never acknowledged 4");

        await system.RestartAsync();

        await using var back = await ProbeProcess.StartAsync(system, appId, "probe-c", "--mode", "broadcast");
        var seqs = await back.WaitForSeqsAsync(s => s.Count >= 2, "the unacknowledged two after the restart");
        Assert.Equal([3, 4], seqs);
    }

    [Fact]
    public async Task Shared_backends_split_the_work_and_a_broadcast_backend_gets_everything()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        await using var one = new RecordingBackend(system.Cluster, appId, new BackendSubscription("worker-1", BackendDeliveryMode.Shared, MaxInFlight: 2));
        await using var two = new RecordingBackend(system.Cluster, appId, new BackendSubscription("worker-2", BackendDeliveryMode.Shared, MaxInFlight: 2));
        await using var audit = new RecordingBackend(system.Cluster, appId, new BackendSubscription("audit", BackendDeliveryMode.Broadcast));
        await one.SubscribeAsync();
        await two.SubscribeAsync();
        await audit.SubscribeAsync();

        for (var i = 1; i <= 20; i++)
        {
            await system.SendToAppAsync(appId, userId, $"job {i}");
        }

        await audit.WaitForAsync(s => s.Count >= 20, "the broadcast backend got all 20");
        await Eventually.ReturnsAsync(() => Task.FromResult(one.Received.Concat(two.Received).Distinct().Count()), n => n == 20, TimeSpan.FromSeconds(30), "the shared pair got all 20");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), audit.Received.ToList());
        Assert.NotEmpty(one.Received);
        Assert.NotEmpty(two.Received);
        Assert.Equal(20, one.Received.Count + two.Received.Count);
        var status = await Eventually.ReturnsAsync(() => Upstream(appId).GetStatusAsync(), s => s.All(g => g.Acknowledged == 20), TimeSpan.FromSeconds(10), "both groups acknowledged");
        Assert.Equal(["broadcast:audit", "shared"], status.Select(g => g.Group));
        Assert.Equal(["worker-1", "worker-2"], status.Single(g => g.Group == "shared").Subscribers);
    }

    [Fact]
    public async Task A_backend_that_throws_gets_the_messages_again_and_the_queue_moves_on()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        await using var flaky = new RecordingBackend(system.Cluster, appId, new BackendSubscription("flaky", BackendDeliveryMode.Broadcast, AckTimeoutSeconds: 1), failFirst: 1);
        await flaky.SubscribeAsync();

        await system.SendToAppAsync(appId, userId, "one");
        await system.SendToAppAsync(appId, userId, "two");

        await Eventually.ReturnsAsync(() => Upstream(appId).GetStatusAsync(), s => s.Single().Acknowledged == 2, TimeSpan.FromSeconds(15), "both acknowledged after the failure");
        Assert.True(flaky.Received.Count(s => s == 1) >= 2, $"seq 1 was delivered again after the throw; got {string.Join(",", flaky.Received)}");
        await system.SendToAppAsync(appId, userId, "three");
        await flaky.WaitForAsync(s => s.Contains(3), "a later message still arrives");
    }

    [Fact]
    public async Task Subscribing_to_an_unknown_app_or_with_bad_options_is_refused()
    {
        var observer = new RecordingBackend(system.Cluster, Ids.New(), new BackendSubscription("x"));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<AppMsgException>(observer.SubscribeAsync)).Code);

        var (tenantId, _) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId);
        var bad = new RecordingBackend(system.Cluster, appId, new BackendSubscription("no spaces allowed"));
        Assert.Equal(ErrorCodes.ValidationFailed, (await Assert.ThrowsAsync<AppMsgException>(bad.SubscribeAsync)).Code);
    }

    private IAppUpstreamGrain Upstream(string appId) => system.Cluster.GetGrain<IAppUpstreamGrain>(appId);
}
