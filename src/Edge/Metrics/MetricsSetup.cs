using AppMsg.Hosting.Metrics;
using OpenTelemetry.Metrics;

namespace AppMsg.Edge.Metrics;

/// <summary>The edge's meters, exported in the Prometheus text format at <c>/metrics</c> on its HTTP port.</summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static WebApplicationBuilder AddEdgeMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAppMsgMeters(EdgeMetrics.MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Open to scrapers like <c>/healthz</c>: the series carry no tenant, user or message data.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
