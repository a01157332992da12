using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class AnonymousSessionTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task Anonymous_sessions_register_only_on_an_edge_whose_anonymous_tenant_allows_them()
    {
        var open = await TenantAsync(allowAnonymous: true);
        var closed = await TenantAsync(allowAnonymous: false);
        var openEdge = system.Deployment.EdgeSettings("edge-open") with { AnonymousTenantId = open };
        var closedEdge = system.Deployment.EdgeSettings("edge-closed") with { AnonymousTenantId = closed };
        await system.StartAnotherEdgeAsync(openEdge);
        await system.StartAnotherEdgeAsync(closedEdge);

        await using (var device = await RawDevice.ConnectAsync(openEdge.TcpPort))
        {
            var answer = await device.RegisterAsync("", "", TerminalType.Web);
            Assert.Equal((byte)RegisterResultCode.Ok, answer.Code);
            Assert.Equal((byte)PongCode.Ok, (await device.PingAsync()).Code);
        }

        await using (var device = await RawDevice.ConnectAsync(closedEdge.TcpPort))
        {
            Assert.Equal((byte)RegisterResultCode.AuthenticationFailed, (await device.RegisterAsync("", "", TerminalType.Web)).Code);
        }

        await using (var device = await RawDevice.ConnectAsync(system.TcpPort))
        {
            Assert.Equal((byte)RegisterResultCode.AuthenticationFailed, (await device.RegisterAsync("", "", TerminalType.Web)).Code);
        }
    }

    private async Task<string> TenantAsync(bool allowAnonymous) =>
        (await system.Api.PostAsync("/v1/tenants", new { name = "anon", settings = new { oneSessionPerTerminalType = true, androidIosExclusive = false, allowAnonymousSessions = allowAnonymous } }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
}
