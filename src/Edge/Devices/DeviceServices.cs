using AppMsg.Directory;
using AppMsg.Edge.Api;
using AppMsg.Edge.Cluster;

namespace AppMsg.Edge.Devices;

/// <summary>What every device connection of this edge shares.</summary>
public sealed class DeviceServices(
    IClusterClient cluster,
    CallerAuthenticator authenticator,
    AddressTenants tenants,
    TenantInfoCache tenantInfos,
    DeviceConnections connections,
    TimelineIndex timelines,
    QunWatches watches,
    DeviceSettings settings,
    EdgeSettings edge,
    EdgeIncarnation incarnation,
    TimeProvider time,
    Quotas.QuotaGate quotas,
    Statistics.StatsCollector stats,
    RegisterThrottle registerThrottle,
    RegisterBatcher registrations,
    Conversations.DeviceConversationCommands conversationCommands,
    ILoggerFactory loggers)
{
    public IClusterClient Cluster { get; } = cluster;

    public CallerAuthenticator Authenticator { get; } = authenticator;

    public DeviceConnections Connections { get; } = connections;

    public AddressTenants Tenants { get; } = tenants;

    public TenantInfoCache TenantInfos { get; } = tenantInfos;

    /// <summary>Where REGISTERs go to the cluster (batched).</summary>
    public RegisterBatcher Registrations { get; } = registrations;

    public TimelineIndex Timelines { get; } = timelines;

    public QunWatches Watches { get; } = watches;

    public DeviceSettings Settings { get; } = settings;

    public EdgeSettings Edge { get; } = edge;

    public EdgeIncarnation Incarnation { get; } = incarnation;

    /// <summary>The clock of resend deadlines (a fake one in tests).</summary>
    public TimeProvider Time { get; } = time;

    public Quotas.QuotaGate Quotas { get; } = quotas;

    public Statistics.StatsCollector Stats { get; } = stats;
    public RegisterThrottle RegisterThrottle { get; } = registerThrottle;

    /// <summary>IM read marks, recalls and typing indicators.</summary>
    public Conversations.DeviceConversationCommands ConversationCommands { get; } = conversationCommands;

    public ILogger Logger { get; } = loggers.CreateLogger("AppMsg.Edge.Devices");
}
