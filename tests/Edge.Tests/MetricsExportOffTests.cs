using System.Net;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>An edge started with <c>APPMSG_METRICS_EXPORT=0</c>.</summary>
public sealed class MetricsOffSystem : RunningSystem
{
    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => settings with { MetricsExport = false };
}

/// <summary>With metrics export off the edge serves no <c>/metrics</c> and works as before (what the meter-cost benchmark compares).</summary>
public sealed class MetricsExportOffTests(MetricsOffSystem system) : IClassFixture<MetricsOffSystem>
{
    [Fact]
    public async Task Without_export_metrics_is_a_404_problem_and_messages_still_flow()
    {
        var scrape = await system.Api.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, scrape.Status);
        Assert.Equal("not_found", scrape.Code);

        var (_, userId) = await system.NewUserAsync();
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "counted by nobody" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
    }
}
