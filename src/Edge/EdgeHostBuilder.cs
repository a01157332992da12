using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Text.Json;
using System.Text.Json.Serialization;
using AppMsg.Edge.Api;
using AppMsg.Edge.Cluster;
using AppMsg.Edge.OperatorConsole;
using AppMsg.Edge.Dashboard;
using AppMsg.Edge.Devices;
using AppMsg.Edge.Health;
using AppMsg.Edge.Metrics;
using AppMsg.Edge.Security;
using AppMsg.Edge.Tls;
using AppMsg.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace AppMsg.Edge;

/// <summary>Builds an edge: the HTTP API, the device listeners and an Orleans client of the cluster.</summary>
public static class EdgeHostBuilder
{
    /// <summary>The one OpenAPI document the edge serves, at <c>/openapi/v1.json</c>.</summary>
    public const string OpenApiDocument = "v1";

    /// <summary>Creates the application builder; <paramref name="args"/> and the environment supply further configuration.</summary>
    public static WebApplicationBuilder Create(EdgeSettings settings, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        Logs.Configure(builder.Logging);
        builder.Services.AddSingleton(settings);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = BackgroundCallLimits.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(settings.HttpPort);
            if (settings.TcpListener == TcpListenerKind.Kestrel)
            {
                kestrel.ListenAnyIP(settings.TcpPort, listen => listen.UseConnectionHandler<TcpDeviceHandler>());
            }
        });
        if (settings.Tls is not null)
        {
            builder.AddEdgeTls(settings.Tls);
        }

        builder.Services.AddCors(o => o.AddDefaultPolicy(policy => policy.WithOrigins([.. settings.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()));
        builder.Services.AddSingleton(settings.Devices);
        builder.Services.AddSingleton<DeviceConnections>();
        builder.Services.AddSingleton<TimelineIndex>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<QunWatches>();
        builder.Services.AddSingleton<AddressTenants>();
        builder.Services.AddSingleton(sp => new AppMsg.Directory.TenantInfoCache(sp.GetRequiredService<IClusterClient>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<RegisterBatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QunWatches>());
        builder.Services.AddSingleton<EdgeIncarnation>();
        builder.Services.AddSingleton<RegisterThrottle>();
        builder.Services.AddSingleton<Conversations.MessageRecaller>();
        builder.Services.AddSingleton<Conversations.TypingThrottle>();
        builder.Services.AddSingleton<Conversations.DeviceConversationCommands>();
        builder.Services.AddSingleton<DeviceServices>();
        builder.Services.AddSingleton<EdgeObserver>();
        builder.Services.AddSingleton<WebSocketDeviceEndpoint>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(OpenApiDocument);
        builder.Services.AddSingleton<CallerAuthenticator>();
        builder.Services.AddSingleton<Quotas.QuotaGate>();
        builder.Services.AddSingleton<Statistics.StatsCollector>();
        builder.Services.AddSingleton(settings.Media);
        builder.Services.AddSingleton<Media.MediaUrlSigner>();
        builder.Services.AddSingleton<Media.MediaUploads>();
        if (settings.Media.Directory is { } mediaDirectory)
        {
            builder.Services.AddSingleton(_ => Media.FileMediaStore.Create(settings.Database.ForGrains(settings.ConnectionString), mediaDirectory));
            builder.Services.AddSingleton<Media.IMediaStore>(sp => sp.GetRequiredService<Media.FileMediaStore>());
            builder.Services.AddSingleton<Media.FileMediaSweeper>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Media.FileMediaSweeper>());
        }
        else
        {
            builder.Services.AddSingleton<Media.IMediaStore>(_ => Media.PostgresMediaStore.Create(settings.Database.ForGrains(settings.ConnectionString)));
        }

        // Malformed bodies and parameters surface as exceptions, which ApiErrorMiddleware answers as problems.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.Converters.Add(new StorableStringConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            // Slow clients (slowloris): headers within the timeout, bodies no slower than the minimum rate, else closed.
            kestrel.Limits.RequestHeadersTimeout = settings.HttpHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(settings.MinRequestBodyBytesPerSecond, settings.MinRequestBodyGrace);
        });

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = settings.ConnectionString;
            });
            // A restarted silo comes back with a new generation; find it within seconds.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.UseConnectionRetryFilter<RetryForeverConnectionFilter>();
            client.AddDashboard(o => o.HideTrace = true);
        });
        if (settings.MetricsExport)
        {
            builder.AddEdgeMetrics();
        }

        builder.UseConnectionBudget(settings);

        // After the Orleans client, so that the client is connected when the heartbeat starts.
        builder.Services.AddHostedService<EdgeHeartbeatService>();
        builder.Services.AddHostedService<DeviceMaintenanceService>();
        builder.Services.AddHostedService<Quotas.QuotaSettlementService>();
        builder.Services.AddHostedService<Statistics.StatsFlushService>();
        // Last, so that devices are accepted once everything they use runs, and stopped first.
        if (settings.TcpListener == TcpListenerKind.Socket)
        {
            builder.Services.AddHostedService<SocketDeviceListener>();
        }
        return builder;
    }

    /// <summary>Maps every endpoint of the edge.</summary>
    public static WebApplication MapEdge(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // An error status the framework sets without a body (404 no route, 405, 415) is answered as a problem too.
        app.UseStatusCodePages(static context => Problems.WriteAsync(context.HttpContext, Problems.ForStatus(context.HttpContext.Response.StatusCode)));
        var settings = app.Services.GetRequiredService<EdgeSettings>();
        if (settings.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }

        // With origins set, a browser's handshake from any other origin is refused (403); devices send no Origin.
        var webSockets = new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(60) };
        foreach (var origin in settings.CorsOrigins)
        {
            webSockets.AllowedOrigins.Add(origin);
        }

        app.UseMiddleware<WebSocketBatchingMiddleware>();
        app.UseWebSockets(webSockets);
        app.Map("/ws", (HttpContext context, WebSocketDeviceEndpoint endpoint) => endpoint.HandleAsync(context));
        app.UseMiddleware<ApiErrorMiddleware>();
        app.MapHealth();
        if (settings.MetricsExport)
        {
            app.MapMetrics();
        }

        app.MapDashboard();
        app.MapConsole();
        // The OpenAPI middleware answers an unknown document name in plain text; answer it as a problem instead.
        app.MapOpenApi("/openapi/{documentName}.json").AddEndpointFilter((context, next) =>
            context.HttpContext.Request.RouteValues["documentName"] as string == OpenApiDocument
                ? next(context)
                : throw AppMsgException.NotFound("OpenAPI document"));
        app.MapTenants();
        app.MapUsers();
        app.MapAuth();
        app.MapApps();
        app.MapEdges();
        app.MapMessages();
        app.MapQuns();
        app.MapOrgs();
        app.MapContacts();
        app.MapMutes();
        app.MapPush();
        app.MapClientVersions();
        app.MapBackends();
        app.MapQuotas();
        app.MapStats();
        app.MapDelivery();
        app.MapConversations();
        app.MapKicks();
        app.MapMedia();
        return app;
    }
}
