using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace AppMsg.Directory.Tests;

/// <summary>
/// The second round of KICK 4 after a tenant is disabled (docs/directory-people.md, "Disabling a tenant"): a silo's
/// session registrar reads tenants through its own cache (at most <see cref="TenantInfoCache.Freshness"/> old), which
/// only the tenant grain's own silo forgets at once. A device kicked by the first round that re-registers through a silo
/// still caching "enabled" is admitted; the second round, <see cref="TenantInfoCache.Freshness"/> + 1 s later, kicks it,
/// and from then on its REGISTERs are refused.
/// </summary>
public sealed class TenantSecondKickTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_device_admitted_by_a_silo_that_still_saw_the_tenant_enabled_is_kicked_by_the_second_round()
    {
        // The edge's registrar calls go through the only gateway there is, silo-1's, and stay there (one gateway
        // connection per grain); the tenant grain must then live on silo-2, whose cache is the only one it forgets.
        var (warmTenant, warmUser) = await system.NewUserAsync();
        await using (var warm = await RawDevice.ConnectAsync(system.TcpPort))
        {
            Assert.Equal(0, (await warm.RegisterAsync(warmUser, await system.LoginAsync(warmTenant, warmUser))).Code);
        }

        var secondSilo = await system.Deployment.StartSiloAsync(system.Deployment.SiloSettings("silo-2"));
        var management = system.Cluster.GetGrain<IManagementGrain>(0);
        var registrarSilos = (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("SessionRegistrarGrain", StringComparison.Ordinal) && s.ActivationCount > 0)
            .Select(s => s.SiloAddress).Distinct().ToList();
        var registrarSilo = Assert.Single(registrarSilos);

        // Placement is not ours to choose: tenants are made (through silo-2, which placement tends to prefer) until one's
        // grain lives on the other silo than the registrar.
        var secondSiloGrains = secondSilo.Services.GetRequiredService<IGrainFactory>();
        string? tenantId = null;
        for (var attempt = 0; attempt < 20 && tenantId is null; attempt++)
        {
            var candidate = Ids.New();
            await secondSiloGrains.GetGrain<ITenantGrain>(candidate).CreateAsync("second-kick");
            var tenantSilo = await management.GetActivationAddress(system.Cluster.GetGrain<ITenantGrain>(candidate));
            tenantId = tenantSilo is not null && !tenantSilo.Equals(registrarSilo) ? candidate : null;
        }

        Assert.True(tenantId is not null, $"20 tenant grains placed on the edge's registrar silo ({registrarSilo}); the test needs one elsewhere");

        var userId = await system.NewUserInTenantAsync(tenantId!);
        var token = await system.LoginAsync(tenantId!, userId);

        // Registered through silo-1, which now caches the tenant as enabled.
        await using var first = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await first.RegisterAsync(userId, token)).Code);

        (await system.Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = true }, system.AdminKey)).Expect(HttpStatusCode.OK);
        var firstKick = await first.ReceiveAsync(Quickly);
        Assert.Equal(MessageType.Kick, firstKick.Type);
        Assert.Equal((byte)KickReason.LoggedOut, firstKick.Code);

        // Back at once, inside silo-1's cache window: admitted (what the second round exists for).
        await using var comeback = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await comeback.RegisterAsync(userId, token)).Code);

        // The second round kicks it without anyone touching the tenant again.
        var secondKick = await comeback.ReceiveAsync(TenantInfoCache.Freshness + TimeSpan.FromSeconds(4));
        Assert.Equal(MessageType.Kick, secondKick.Type);
        Assert.Equal((byte)KickReason.LoggedOut, secondKick.Code);
        Assert.True(await comeback.IsClosedByServerAsync(Quickly));

        // And it cannot come back: every silo has now read the tenant as disabled.
        await using var again = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal((byte)RegisterResultCode.AuthenticationFailed, (await again.RegisterAsync(userId, token)).Code);
    }
}
