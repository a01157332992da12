using System.Net;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;
using Orleans.Runtime;

namespace AppMsg.Edge.Tests;

/// <summary>A system whose silo collects grains idle for 10 s (Orleans' default is 15 minutes).</summary>
public sealed class QuickCollectionSystem : RunningSystem
{
    public static readonly TimeSpan CollectionAge = TimeSpan.FromSeconds(10);

    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) => settings with { GrainCollectionAge = CollectionAge };
}

/// <summary>
/// A device that stays connected while its user's grains are collected keeps getting everything live: the grains
/// activated afresh learn its session from the edge. (Before the edge became the source of truth, a device quiet for
/// 17 minutes stopped receiving direct messages live.)
/// </summary>
public sealed class IdleCollectionTests(QuickCollectionSystem system) : IClassFixture<QuickCollectionSystem>
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Direct_message_session_push_and_logout_kick_reach_a_device_live_after_its_grains_were_collected()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        await using var device = await RawDevice.ConnectAsync(system.TcpPort);
        var registered = await device.RegisterAsync(userId, token);
        Assert.Equal(0, registered.Code);
        var sessionId = JsonDocument.Parse(registered.Body.AsMemory(1)).RootElement.GetProperty("sessionId").GetString();
        await system.WaitUntilLiveAsync(userId);

        await WaitUntilCollectedAsync(device);
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "after idle" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        var direct = await device.ReceiveAsync(Live);
        Assert.Equal(MessageType.Push, direct.Type);
        Assert.Equal(0, direct.Offline());
        Assert.Equal("after idle", direct.Envelope().GetProperty("content").GetProperty("text").GetString());
        await device.AcknowledgeAsync(direct);

        await WaitUntilCollectedAsync(device);
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{sessionId}@session" }, type = "text", content = new { text = "to the session" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        var pushed = await device.ReceiveAsync(Live);
        Assert.Equal(MessageType.Push, pushed.Type);
        Assert.Equal(0, pushed.Offline());
        Assert.Equal("to the session", pushed.Envelope().GetProperty("content").GetProperty("text").GetString());
        await device.AcknowledgeAsync(pushed);

        await WaitUntilCollectedAsync(device);
        (await system.Api.PostAsync("/v1/auth/logout", null, token)).Expect(HttpStatusCode.NoContent);
        var kick = await device.ReceiveAsync(Live);
        Assert.Equal(MessageType.Kick, kick.Type);
        Assert.Equal((byte)KickReason.LoggedOut, kick.Body[0]);
    }

    /// <summary>Waits, pinging like a quiet device, until the silo holds no session or timeline grain any more.</summary>
    private async Task WaitUntilCollectedAsync(RawDevice device)
    {
        var management = system.Cluster.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + QuickCollectionSystem.CollectionAge * 4;
        uint tid = 100;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(MessageType.Pong, (await device.PingAsync(tid++)).Type);
            var stats = await management.GetSimpleGrainStatistics();
            var held = stats.Where(s => s.GrainType.Contains("UserSessions", StringComparison.Ordinal) || s.GrainType.Contains("SessionGrain", StringComparison.Ordinal)
                || s.GrainType.Contains("TimelineGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
            if (held == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{held} session or timeline grains still active after {QuickCollectionSystem.CollectionAge * 4}");
        }
    }
}
