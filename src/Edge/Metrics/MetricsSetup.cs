using System.IO.Compression;
using AppMsg.Hosting.Metrics;
using Microsoft.AspNetCore.ResponseCompression;
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
        // A scrape is about 190 KB of text; gzip (at its fastest) sends a tenth of it to scrapers that ask, the console's
        // overview among them (it reads /metrics every second). Only /metrics: it holds no secret to guess through sizes.
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["text/plain", "application/openmetrics-text"];
        });
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return builder;
    }

    /// <summary>Open to scrapers like <c>/healthz</c>: the series carry no tenant, user or message data.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path == Path, compressed => compressed.UseResponseCompression());
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
