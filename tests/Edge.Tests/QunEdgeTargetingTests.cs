using System.Net;
using AppMsg.Edge.Devices;
using AppMsg.Messaging;
using AppMsg.Protocol;
using AppMsg.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AppMsg.Edge.Tests;

/// <summary>A qun message is sent only to the edges that have members of the qun online.</summary>
public sealed class QunEdgeTargetingTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task A_qun_message_skips_edges_without_members_online_and_reaches_an_edge_as_soon_as_a_member_joins_there()
    {
        var (tenantId, owner) = await system.NewUserAsync();
        var joiner = (await system.Api.PostAsync("/v1/users", new { tenantId, username = "j" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "targeted", ownerId = owner }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];
        var otherSettings = system.Deployment.EdgeSettings("edge-other");
        var other = await system.StartAnotherEdgeAsync(otherSettings);
        var otherObserver = other.Services.GetRequiredService<EdgeObserver>();
        await using var ownerDevice = await RegisteredAsync(system.TcpPort, null, tenantId, owner);
        await using var joinerDevice = await RegisteredAsync(otherSettings.TcpPort, other.Services, tenantId, joiner);

        // Past the grace period of a fresh activation, only registered edges are sent qun messages.
        await SendAsync(qunId, "wake up");
        await AcknowledgedTextAsync(ownerDevice);
        await Task.Delay(EdgeWatch.ActivationGrace + TimeSpan.FromSeconds(1));
        var before = otherObserver.Publishes;
        await SendAsync(qunId, "owner only");
        Assert.Equal("owner only", await AcknowledgedTextAsync(ownerDevice));
        await Task.Delay(500);
        Assert.Equal(before, otherObserver.Publishes);

        (await system.Api.PutAsync($"/v1/quns/{qunId}/members/{joiner}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        await Eventually.ReturnsAsync(() => Task.FromResult(other.Services.GetRequiredService<QunWatches>().Count), n => n == 1, TimeSpan.FromSeconds(10), "the other edge watches the qun");
        await SendAsync(qunId, "both edges");
        Assert.Equal("both edges", await AcknowledgedTextAsync(ownerDevice));
        Assert.Equal("both edges", await AcknowledgedTextAsync(joinerDevice));
        Assert.Equal(before + 1, otherObserver.Publishes);
    }

    private async Task SendAsync(string qunId, string text) =>
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{qunId}@qun" }, type = "text", content = new { text } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);

    private async Task<RawDevice> RegisteredAsync(int port, IServiceProvider? edge, string tenantId, string userId)
    {
        var device = await RawDevice.ConnectAsync(port);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        await system.WaitUntilLiveAsync(userId, edge);
        return device;
    }

    private static async Task<string?> AcknowledgedTextAsync(RawDevice device)
    {
        var frame = await device.ReceiveAsync();
        Assert.Equal(MessageType.Push, frame.Type);
        await device.AcknowledgeAsync(frame);
        return frame.Envelope().GetProperty("content").GetProperty("text").GetString();
    }
}
