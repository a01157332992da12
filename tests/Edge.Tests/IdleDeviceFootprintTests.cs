using AppMsg.Testing;
using Orleans.Runtime;

namespace AppMsg.Edge.Tests;

/// <summary>What a connected, idle device costs the silo: its user's session list and nothing else (issue 12).</summary>
public sealed class IdleDeviceFootprintTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const int Devices = 40;

    [Fact]
    public async Task Registered_idle_devices_leave_only_their_users_session_lists_active_on_the_silo()
    {
        var users = new List<(string UserId, string Token)>();
        var (tenantId, first) = await system.NewUserAsync();
        users.Add((first, await system.LoginAsync(tenantId, first)));
        for (var i = 1; i < Devices; i++)
        {
            var userId = await system.NewUserInTenantAsync(tenantId);
            users.Add((userId, await system.LoginAsync(tenantId, userId)));
        }

        // What creating and logging in activated goes first; what stays after the REGISTERs is theirs.
        var management = system.Cluster.GetGrain<IManagementGrain>(0);
        var created = await CountsAsync(management);
        Assert.True(created.GetValueOrDefault("UserGrain") >= Devices && created.GetValueOrDefault("AuthTokenGrain") >= Devices,
            "creating users and logging them in activates their grains (the names this test counts are right)");
        await management.ForceActivationCollection(TimeSpan.Zero);
        var before = await CountsAsync(management);

        var devices = new List<RawDevice>();
        try
        {
            foreach (var (userId, token) in users)
            {
                var device = await RawDevice.ConnectAsync(system.TcpPort);
                devices.Add(device);
                Assert.Equal(0, (await device.RegisterAsync(userId, token)).Code);
            }

            // Replays end at once (nothing stored); deactivations follow their last call.
            await Eventually.ReturnsAsync(() => CountsAsync(management),
                after => Added(before, after, "UserSessionsGrain") >= Devices
                    && Added(before, after, "AuthTokenGrain") == 0
                    && Added(before, after, "UserGrain") == 0
                    && Added(before, after, "UserCursorsGrain") == 0
                    && Added(before, after, "PendingCallbacksGrain") == 0
                    && Added(before, after, "TimelineGrain") <= 2, // the tenant's timeline and its audience, shared by all
                TimeSpan.FromSeconds(15), "only session lists activated per device");
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }

    private static int Added(Dictionary<string, int> before, Dictionary<string, int> after, string grainClass) =>
        after.GetValueOrDefault(grainClass) - before.GetValueOrDefault(grainClass);

    private static async Task<Dictionary<string, int>> CountsAsync(IManagementGrain management)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var statistic in await management.GetSimpleGrainStatistics())
        {
            var type = statistic.GrainType.Split(',')[0];
            var name = type[(type.LastIndexOf('.') + 1)..];
            counts[name] = counts.GetValueOrDefault(name) + statistic.ActivationCount;
        }

        return counts;
    }
}
