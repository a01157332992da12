using OpenTelemetry.Metrics;

namespace AppMsg.Hosting.Metrics;

/// <summary>
/// The meters every AppMsg process exports at <c>/metrics</c>: the platform's own (Orleans, ASP.NET Core and Kestrel,
/// the .NET runtime, Npgsql) and the process's AppMsg meters. Names and instruments: docs/metrics.md.
/// </summary>
public static class AppMsgMeters
{
    /// <summary>Meters the platform publishes by itself; listed here so that both processes export the same set.</summary>
    public static readonly IReadOnlyList<string> Platform =
    [
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Runtime",
        "Npgsql",
    ];

    /// <summary>Adds the platform's meters and <paramref name="own"/> to a meter provider.</summary>
    public static MeterProviderBuilder AddAppMsgMeters(this MeterProviderBuilder builder, params string[] own) =>
        builder.AddMeter([.. Platform, .. own]);
}
