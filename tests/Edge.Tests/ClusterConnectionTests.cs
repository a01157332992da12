using System.Net;
using AppMsg.Directory;
using AppMsg.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AppMsg.Edge.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ClusterConnectionTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_edge_calls_grains_again_after_the_silo_it_used_restarted()
    {
        await using var deployment = await AppMsgDeployment.CreateAsync(postgres.Server);
        var siloSettings = deployment.SiloSettings("silo-a");
        var silo = await deployment.StartSiloAsync(siloSettings);
        var edgeSettings = deployment.EdgeSettings("edge-a");
        var edge = await deployment.StartEdgeAsync(edgeSettings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{edgeSettings.HttpPort}") };
        var client = edge.Services.GetRequiredService<IClusterClient>();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var tenantId = Ids.New();
        await client.GetGrain<ITenantGrain>(tenantId).CreateAsync("before the restart");

        await deployment.StopAsync(silo);
        var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("\"code\":\"unavailable\"", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        await deployment.StartSiloAsync(siloSettings);

        await Eventually.ReturnsAsync(
            () => http.GetAsync(new Uri("/readyz", UriKind.Relative)), r => r.StatusCode == HttpStatusCode.OK, Patience, "/readyz 200 after the restart");
        var tenant = await Eventually.ReturnsAsync(
            () => client.GetGrain<ITenantGrain>(tenantId).GetAsync(), t => t is not null, Patience, "the tenant read through the edge's client");
        Assert.Equal("before the restart", tenant!.Name);
    }
}
