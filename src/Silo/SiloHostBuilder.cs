using AppMsg.Hosting;
using AppMsg.Grains;
using AppMsg.Grains.Backends;
using AppMsg.Grains.Metrics;
using AppMsg.Hosting.Metrics;
using AppMsg.Grains.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using OpenTelemetry.Metrics;

namespace AppMsg.Silo;

/// <summary>Builds a silo host: ADO.NET clustering, storage and reminders on the AppMsg PostgreSQL database.</summary>
public static class SiloHostBuilder
{
    private const string Invariant = "Npgsql";

    /// <summary>Creates the host builder; <paramref name="args"/> and the environment supply further configuration.</summary>
    public static HostApplicationBuilder Create(SiloSettings settings, string[]? args = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        Logs.Configure(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        if (settings.MessageDefaultTtl > settings.MessageMaxTtl)
        {
            throw new StartupException("APPMSG_MESSAGE_TTL_DEFAULT_SECONDS must not exceed APPMSG_MESSAGE_TTL_MAX_SECONDS", ExitCodes.Configuration);
        }

        builder.Services.AddAppMsgGrainServices(
            settings.ConnectionString,
            o =>
            {
                o.PasswordIterations = settings.PasswordIterations;
                o.TokenLifetime = settings.TokenLifetime;
                o.AppSecretOverlap = settings.AppSecretOverlap;
            },
            o =>
            {
                o.DefaultTtl = settings.MessageDefaultTtl;
                o.MaxTtl = settings.MessageMaxTtl;
                o.MaxContentBytes = settings.MaxContentBytes;
            },
            o => o.Interval = settings.PruneInterval,
            o =>
            {
                o.FreeAttemptsPerUser = settings.LoginFreeAttemptsPerUser;
                o.FreeAttemptsPerAddress = settings.LoginFreeAttemptsPerAddress;
                o.FirstLockout = settings.LoginFirstLockout;
                o.MaxLockout = settings.LoginMaxLockout;
            },
            o =>
            {
                o.CurrentKey = settings.SecretsKey;
                o.PreviousKey = settings.SecretsKeyPrevious;
            },
            o =>
            {
                o.Interval = settings.TokenSweepInterval;
                o.PageSize = settings.TokenSweepPageSize;
            });
        builder.Services.Configure<AppMsg.Grains.Media.MediaPrunerOptions>(o =>
        {
            o.Interval = settings.PruneInterval;
            o.Grace = settings.MediaGrace;
        });
        builder.Services.AddAppMsgBackends(o => o.Retention = settings.SessionEventsRetention);
        builder.Services.AddAppMsgNotifications(o =>
        {
            o.TrustPemPath = settings.PushTrustPem;
            o.AckDelay = settings.PushAckDelay;
        });
        var advertised = settings.ResolveAdvertisedAddress();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            if (settings.SiloName is not null)
            {
                silo.Configure<SiloOptions>(o => o.SiloName = settings.SiloName);
            }

            silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            silo.ConfigureFailureDetection();
            silo.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionAge = settings.GrainCollectionAge;
                o.CollectionQuantum = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, settings.GrainCollectionAge.Ticks / 4));
            });
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = settings.ConnectionString;
            });
            silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = settings.ConnectionString;
                // A cleared state leaves no row (revoked and expired login tokens are cleared).
                o.DeleteStateOnClear = true;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = settings.ConnectionString;
            });
            silo.UseSystemTextJsonGrainStorageSerializer();
            // The dashboard's grains and counters; edges serve its pages (/dashboard). Live log streaming is off.
            silo.AddDashboard(o => o.HideTrace = true);
        });
        // Prometheus text at http://<host>:APPMSG_METRICS_PORT/metrics (docs/metrics.md).
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAppMsgMeters(SiloMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Port = settings.MetricsPort;
                // Every address, not only localhost: a scraper runs on another machine (the options' Host takes no wildcard).
                o.ConfigureHttpListener = (_, listener) =>
                {
                    listener.Prefixes.Clear();
                    listener.Prefixes.Add($"http://*:{settings.MetricsPort}/");
                };
            }));
        builder.UseConnectionBudget(settings);
        return builder;
    }
}
