using System.Globalization;
using System.Net;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class DispatcherTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan HeartbeatWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_dispatcher_spreads_devices_over_two_edges()
    {
        await system.StartAnotherEdgeAsync(system.Deployment.EdgeSettings("edge-2"));
        var first = system.EdgeSettings.EdgeId;
        var devices = new List<RawDevice>();
        try
        {
            // Whichever edge is picked first, the next device goes to the other one once the first edge reports its load.
            var picked = new List<string> { (await PickAsync(_ => true))["edgeId"] };
            devices.Add(await RegisterOnAsync(picked[0]));
            picked.Add((await PickAsync(r => r["edgeId"] != picked[0]))["edgeId"]);
            devices.Add(await RegisterOnAsync(picked[1]));

            Assert.Equal([first, "edge-2"], picked.Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }

        var bad = await system.Api.GetAsync("/v1/edges/pick?terminalType=3");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task An_edge_that_stops_heartbeating_is_no_longer_picked_within_seconds()
    {
        // A "killed" edge: it heartbeated once, as the least loaded edge, then went silent.
        var registry = system.Cluster.GetGrain<Sessions.IEdgeRegistryGrain>(0);
        var observer = system.Cluster.CreateObjectReference<Sessions.IEdgeObserver>(system.EdgeServices<Devices.EdgeObserver>());
        await registry.HeartbeatAsync(new Sessions.EdgeInfo("edge-killed", "127.0.0.1:1", "ws://127.0.0.1:1/ws", -1, "run-1"), observer);
        Assert.Equal("edge-killed", (await PickAsync(_ => true))["edgeId"]);

        var started = DateTime.UtcNow;
        await PickAsync(r => r["edgeId"] != "edge-killed");
        Assert.True(DateTime.UtcNow - started < Sessions.EdgeLiveness.PickableFor + TimeSpan.FromSeconds(3), "the silent edge was picked for too long");
        await registry.UnregisterAsync("edge-killed");
    }

    private Task<ApiClient.Response> PickAsync(Func<ApiClient.Response, bool> wanted) =>
        Eventually.ReturnsAsync(() => system.Api.GetAsync("/v1/edges/pick?terminalType=1"),
            r => r.Status == HttpStatusCode.OK && wanted(r), HeartbeatWait, "the wanted edge picked");

    private async Task<RawDevice> RegisterOnAsync(string edgeId)
    {
        var edge = (await PickAsync(r => r["edgeId"] == edgeId))["tcp"];
        var (tenantId, userId) = await system.NewUserAsync();
        var device = await RawDevice.ConnectAsync(int.Parse(edge.Split(':')[1], CultureInfo.InvariantCulture));
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        return device;
    }
}
