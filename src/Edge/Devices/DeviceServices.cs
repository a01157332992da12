using AppMsg.Edge.Api;

namespace AppMsg.Edge.Devices;

/// <summary>What every device connection of this edge shares.</summary>
public sealed class DeviceServices(
    IClusterClient cluster,
    CallerAuthenticator authenticator,
    DeviceConnections connections,
    TimelineIndex timelines,
    QunWatches watches,
    DeviceSettings settings,
    EdgeSettings edge,
    EdgeIncarnation incarnation,
    RegisterThrottle registerThrottle,
    ILoggerFactory loggers)
{
    public IClusterClient Cluster { get; } = cluster;

    public CallerAuthenticator Authenticator { get; } = authenticator;

    public DeviceConnections Connections { get; } = connections;

    public TimelineIndex Timelines { get; } = timelines;

    public QunWatches Watches { get; } = watches;

    public DeviceSettings Settings { get; } = settings;

    public EdgeSettings Edge { get; } = edge;

    public EdgeIncarnation Incarnation { get; } = incarnation;

    public RegisterThrottle RegisterThrottle { get; } = registerThrottle;

    public ILogger Logger { get; } = loggers.CreateLogger("AppMsg.Edge.Devices");
}
