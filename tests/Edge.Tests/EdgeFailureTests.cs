using System.Globalization;
using System.Net;
using AppMsg.Sessions;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class EdgeFailureTests(DeviceTestSystem system) : IClassFixture<DeviceTestSystem>
{
    [Fact]
    public async Task When_an_edge_process_dies_its_sessions_leave_every_session_list_within_30_seconds()
    {
        var httpPort = FreePort.Next();
        var tcpPort = FreePort.Next();
        using var edge = ProcessRunner.Start("dotnet", [typeof(EdgeSettings).Assembly.Location], new Dictionary<string, string?>
        {
            ["ConnectionStrings__AppMsg"] = system.Deployment.ConnectionString,
            ["APPMSG_CLUSTER_ID"] = system.Deployment.ClusterId,
            ["APPMSG_SERVICE_ID"] = system.Deployment.ClusterId,
            ["APPMSG_HTTP_PORT"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["APPMSG_TCP_PORT"] = tcpPort.ToString(CultureInfo.InvariantCulture),
            ["APPMSG_EDGE_ID"] = "edge-doomed",
        }, out var output);
        try
        {
            using var http = new HttpClient();
            await Eventually.ReturnsAsync(
                () => http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/readyz")), r => r.StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), $"the edge process ready; output: {output}");
            var (tenantId, userId) = await system.NewUserAsync();
            await using var doomed = await RawDevice.ConnectAsync(tcpPort);
            Assert.Equal(0, (await doomed.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
            await using var survivor = await RawDevice.ConnectAsync(system.TcpPort);
            Assert.Equal(0, (await survivor.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, 16), Protocol.TerminalType.Pc)).Code);
            var sessions = system.Cluster.GetGrain<IUserSessionsGrain>(userId);
            Assert.Contains(await sessions.GetSessionsAsync(), s => s.EdgeId == "edge-doomed");

            edge.Kill(entireProcessTree: true);
            var killedAt = DateTime.UtcNow;

            IReadOnlyList<SessionInfo> left;
            do
            {
                // The survivor pings so that the test edge's short idle limit keeps it.
                Assert.Equal(0, (await survivor.PingAsync()).Code);
                await Task.Delay(500);
                left = await sessions.GetSessionsAsync();
            }
            while (left.Any(s => s.EdgeId == "edge-doomed") && DateTime.UtcNow - killedAt < TimeSpan.FromSeconds(35));

            Assert.True(DateTime.UtcNow - killedAt < TimeSpan.FromSeconds(30), "the dead edge's session was still listed after 30 s");
            Assert.Equal(system.EdgeSettings.EdgeId, Assert.Single(left).EdgeId);
        }
        finally
        {
            if (!edge.HasExited)
            {
                edge.Kill(entireProcessTree: true);
            }
        }
    }
}
