using AppMsg.Cluster;
using AppMsg.Directory;
using AppMsg.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AppMsg.Silo.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_silos_form_one_cluster_and_the_survivor_keeps_serving_when_one_stops()
    {
        await using var deployment = await AppMsgDeployment.CreateAsync(postgres.Server);
        var first = await deployment.StartSiloAsync(deployment.SiloSettings("silo-a"));
        var second = await deployment.StartSiloAsync(deployment.SiloSettings("silo-b"));

        var active = await Eventually.ReturnsAsync(
            () => MembersAsync(deployment, status: 3), rows => rows.Count == 2, Patience, "both silos Active");
        Assert.Equal(["silo-a", "silo-b"], active.Order(StringComparer.Ordinal));

        await deployment.StopAsync(first);

        var dead = await Eventually.ReturnsAsync(
            () => MembersAsync(deployment, status: 6), rows => rows.Contains("silo-a"), Patience, "silo-a marked Dead");
        Assert.Single(dead);
        var grains = second.Services.GetRequiredService<IGrainFactory>();
        var tenantId = Ids.New();
        var created = await grains.GetGrain<ITenantGrain>(tenantId).CreateAsync("after the stop");
        Assert.Equal(tenantId, created.Id);
        var probe = await grains.GetGrain<IClusterProbeGrain>(0).PingAsync();
        Assert.Equal("silo-b", probe.SiloName);
    }

    [Fact]
    public async Task Grain_state_written_through_one_silo_is_read_through_another_after_the_first_stopped()
    {
        await using var deployment = await AppMsgDeployment.CreateAsync(postgres.Server);
        var first = await deployment.StartSiloAsync(deployment.SiloSettings("silo-a"));
        var tenantIds = Enumerable.Range(0, 5).Select(_ => Ids.New()).ToArray();
        var writer = first.Services.GetRequiredService<IGrainFactory>();
        foreach (var id in tenantIds)
        {
            await writer.GetGrain<ITenantGrain>(id).CreateAsync($"tenant {id}", new TenantSettings(AndroidIosExclusive: true));
        }

        var second = await deployment.StartSiloAsync(deployment.SiloSettings("silo-b"));
        await deployment.StopAsync(first);

        var reader = second.Services.GetRequiredService<IGrainFactory>();
        foreach (var id in tenantIds)
        {
            var tenant = await reader.GetGrain<ITenantGrain>(id).GetAsync();
            Assert.NotNull(tenant);
            Assert.Equal($"tenant {id}", tenant.Name);
            Assert.True(tenant.Settings.AndroidIosExclusive);
        }

        Assert.Null(await reader.GetGrain<ITenantGrain>(Ids.New()).GetAsync());
    }

    [Fact]
    public async Task A_write_with_a_stale_version_is_refused_by_the_storage_queries()
    {
        await using var deployment = await AppMsgDeployment.CreateAsync(postgres.Server);
        var silo = await deployment.StartSiloAsync(deployment.SiloSettings("silo-a"));
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var id = Ids.New();
        var tenant = grains.GetGrain<ITenantGrain>(id);
        await tenant.CreateAsync("versioned");
        await tenant.UpdateSettingsAsync(new TenantSettings(AllowAnonymousSessions: true));

        // Someone else wrote the row meanwhile: the grain's next write must fail, not overwrite.
        await using (var connection = new NpgsqlConnection(deployment.ConnectionString))
        {
            await connection.OpenAsync();
            await using var bump = new NpgsqlCommand("UPDATE orleansstorage SET version = version + 1 WHERE graintypestring = 'tenant' AND grainidextensionstring = @id", connection);
            bump.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await bump.ExecuteNonQueryAsync());
        }

        // Orleans' InconsistentStateException leaves the grain as unavailable (retry), never as an overwrite.
        var refused = await Assert.ThrowsAsync<AppMsgException>(() => tenant.UpdateSettingsAsync(new TenantSettings()));
        Assert.Equal(ErrorCodes.Unavailable, refused.Code);
        Assert.Contains("changed concurrently", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<List<string>> MembersAsync(AppMsgDeployment deployment, int status)
    {
        await using var connection = new NpgsqlConnection(deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT siloname FROM orleansmembershiptable WHERE deploymentid = @cluster AND status = @status", connection);
        command.Parameters.AddWithValue("cluster", deployment.ClusterId);
        command.Parameters.AddWithValue("status", status);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
