using AppMsg.Hosting;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Edge;

/// <summary>An edge's process settings, read from configuration and the environment.</summary>
public sealed record EdgeSettings
{
    public required string ConnectionString { get; init; }
    public string ClusterId { get; init; } = "appmsg";
    public string ServiceId { get; init; } = "appmsg";

    /// <summary>HTTP API and WebSocket (<c>/ws</c>) port.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>Binary protocol port.</summary>
    public int TcpPort { get; init; } = 7100;

    /// <summary>
    /// What serves <see cref="TcpPort"/> (<c>APPMSG_TCP_LISTENER</c>): the edge's own socket loop (<c>socket</c>, the default:
    /// less memory per idle device) or Kestrel's connection machinery (<c>kestrel</c>); docs/edge.md compares them.
    /// </summary>
    public TcpListenerKind TcpListener { get; init; } = TcpListenerKind.Socket;

    /// <summary>The operator credential; null disables operator access.</summary>
    public string? AdminKey { get; init; }

    /// <summary>This edge's id, unique in the cluster.</summary>
    public string EdgeId { get; init; } = Environment.MachineName;

    /// <summary>The host name devices use to reach this edge (for the dispatcher).</summary>
    public string PublicHost { get; init; } = "127.0.0.1";

    /// <summary>The tenant anonymous sessions (empty id and token) belong to; null refuses them. The tenant must allow them too.</summary>
    public string? AnonymousTenantId { get; init; }

    /// <summary>Whether the meters are exported at <c>/metrics</c> (<c>APPMSG_METRICS_EXPORT</c>, 1); off, no listener reads them and <c>/metrics</c> is 404.</summary>
    public bool MetricsExport { get; init; } = true;

    /// <summary>Limits of device connections.</summary>
    public Devices.DeviceSettings Devices { get; init; } = new();

    /// <summary>TLS listeners and their certificate; null serves no TLS.</summary>
    public Tls.EdgeTlsSettings? Tls { get; init; }

    /// <summary>Browser origins allowed to call the API and open <c>/ws</c>; empty sends no CORS headers and checks no Origin.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>The binary-over-TLS address devices are told (<c>tls://host:port</c>), or null without TLS.</summary>
    public string? PublicTcpTlsAddress => Tls is null ? null : $"tls://{PublicHost}:{Tls.TcpPort}";

    /// <summary>The <c>wss://</c> URL of <c>/ws</c> devices are told, or null without TLS.</summary>
    public string? PublicSecureWebSocketUrl => Tls is null ? null : $"wss://{PublicHost}:{Tls.HttpsPort}/ws";

    /// <summary>The largest HTTP request body accepted.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>An HTTP client must send a request's headers (the WebSocket upgrade's too) within this, or its connection is closed.</summary>
    public TimeSpan HttpHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The slowest an HTTP request body may arrive (bytes per second, averaged) once <see cref="MinRequestBodyGrace"/> has passed.</summary>
    public int MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>How long a request body may arrive slower than <see cref="MinRequestBodyBytesPerSecond"/> at first.</summary>
    public TimeSpan MinRequestBodyGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Media uploads and downloads: size limit, signed URLs, concurrent uploads.</summary>
    public Media.MediaSettings Media { get; init; } = new();

    /// <summary>The PostgreSQL connections this edge may hold: its Orleans client's pool (membership reads), its media pool and the wait for a connection.</summary>
    public ConnectionBudget Database { get; init; } = ConnectionBudget.EdgeDefault;

    /// <summary>Reads <c>ConnectionStrings:AppMsg</c>, <c>AppMsg:*</c> and the <c>APPMSG_*</c> environment names.</summary>
    public static EdgeSettings FromConfiguration(IConfiguration configuration)
    {
        var httpPort = SettingReader.Port(configuration, "APPMSG_HTTP_PORT", "AppMsg:HttpPort", 8080);
        return new EdgeSettings
        {
            ConnectionString = SettingReader.ConnectionString(configuration),
            ClusterId = SettingReader.String(configuration, "APPMSG_CLUSTER_ID", "AppMsg:ClusterId") ?? "appmsg",
            ServiceId = SettingReader.String(configuration, "APPMSG_SERVICE_ID", "AppMsg:ServiceId") ?? "appmsg",
            HttpPort = httpPort,
            TcpPort = SettingReader.Port(configuration, "APPMSG_TCP_PORT", "AppMsg:TcpPort", 7100),
            TcpListener = SettingReader.Choice(configuration, "APPMSG_TCP_LISTENER", "AppMsg:TcpListener", TcpListenerKind.Socket),
            AdminKey = SettingReader.String(configuration, "APPMSG_ADMIN_KEY", "AppMsg:AdminKey"),
            EdgeId = SettingReader.String(configuration, "APPMSG_EDGE_ID", "AppMsg:EdgeId") ?? $"{Environment.MachineName}-{httpPort}",
            Devices = new Devices.DeviceSettings
            {
                RegisterDeadline = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_REGISTER_DEADLINE_SECONDS", "AppMsg:RegisterDeadlineSeconds", 10, 1, 600)),
                Heartbeat = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_HEARTBEAT_SECONDS", "AppMsg:HeartbeatSeconds", 300, 5, 3600)),
                IdleLimit = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_IDLE_LIMIT_SECONDS", "AppMsg:IdleLimitSeconds", 600, 5, 7200)),
                MaxBodyLength = SettingReader.Int(configuration, "APPMSG_MAX_FRAME_BODY_BYTES", "AppMsg:MaxFrameBodyBytes", 64 * 1024, 256, 16 * 1024 * 1024),
                MaxConnections = SettingReader.Int(configuration, "APPMSG_MAX_CONNECTIONS", "AppMsg:MaxConnections", 100_000, 1, 10_000_000),
                SendQueueLimit = SettingReader.Int(configuration, "APPMSG_SEND_QUEUE_FRAMES", "AppMsg:SendQueueFrames", 1_024, 16, 1_000_000),
                StallLimit = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_STALL_LIMIT_SECONDS", "AppMsg:StallLimitSeconds", 10, 1, 600)),
                RegisterFreeFailuresPerAddress = SettingReader.Int(configuration, "APPMSG_REGISTER_FREE_FAILURES_PER_ADDRESS", "AppMsg:RegisterFreeFailuresPerAddress", 20, 1, 1_000_000),
            },
            AnonymousTenantId = SettingReader.String(configuration, "APPMSG_ANONYMOUS_TENANT", "AppMsg:AnonymousTenant"),
            MetricsExport = SettingReader.Int(configuration, "APPMSG_METRICS_EXPORT", "AppMsg:MetricsExport", 1, 0, 1) == 1,
            HttpHeadersTimeout = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_HTTP_HEADERS_TIMEOUT_SECONDS", "AppMsg:HttpHeadersTimeoutSeconds", 10, 1, 300)),
            MinRequestBodyBytesPerSecond = SettingReader.Int(configuration, "APPMSG_HTTP_MIN_BODY_BYTES_PER_SECOND", "AppMsg:HttpMinBodyBytesPerSecond", 240, 1, 1_000_000),
            MaxRequestBodyBytes = SettingReader.Int(configuration, "APPMSG_MAX_BODY_BYTES", "AppMsg:MaxBodyBytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
            PublicHost = SettingReader.String(configuration, "APPMSG_PUBLIC_HOST", "AppMsg:PublicHost") ?? "127.0.0.1",
            Database = ConnectionBudget.ForEdge(configuration),
            Media = Edge.Media.MediaSettings.FromConfiguration(configuration),
            Tls = Edge.Tls.EdgeTlsSettings.FromConfiguration(configuration),
            CorsOrigins = Security.CorsOrigins.FromConfiguration(configuration),
        };
    }
}

/// <summary>What serves the plain binary port.</summary>
public enum TcpListenerKind
{
    /// <summary><see cref="Devices.SocketDeviceListener"/>.</summary>
    Socket,

    /// <summary>Kestrel with <see cref="Devices.TcpDeviceHandler"/>.</summary>
    Kestrel,
}
