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
        var created = await GrainActivations.CountAsync(management);
        Assert.True(created.GetValueOrDefault("UserGrain") >= Devices && created.GetValueOrDefault("AuthTokenGrain") >= Devices,
            "creating users and logging them in activates their grains (the names this test counts are right)");
        await management.ForceActivationCollection(TimeSpan.Zero);
        var before = await GrainActivations.CountAsync(management);

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
            await Eventually.ReturnsAsync(() => GrainActivations.CountAsync(management),
                after => GrainActivations.Added(before, after, "UserSessionsGrain") >= Devices
                    && GrainActivations.Added(before, after, "AuthTokenGrain") == 0
                    && GrainActivations.Added(before, after, "UserGrain") == 0
                    && GrainActivations.Added(before, after, "UserCursorsGrain") == 0
                    && GrainActivations.Added(before, after, "PendingCallbacksGrain") == 0
                    && GrainActivations.Added(before, after, "TimelineGrain") <= 2, // the tenant's timeline and its audience, shared by all
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
}
