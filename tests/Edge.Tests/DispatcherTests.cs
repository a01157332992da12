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
