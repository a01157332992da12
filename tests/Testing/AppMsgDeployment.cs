using AppMsg.Edge;
using AppMsg.Silo;
using AppMsg.Silo.Migrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AppMsg.Testing;

/// <summary>
/// Silos and edges of one cluster, each a separate host in this process, on real ports, sharing a
/// fresh PostgreSQL database. Hosts can be stopped and started again with the same ports.
/// </summary>
public sealed class AppMsgDeployment : IAsyncDisposable
{
    private readonly List<IHost> hosts = [];

    private AppMsgDeployment(string connectionString, string clusterId)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId;
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public string AdminKey { get; } = "test-admin-key-" + Guid.NewGuid().ToString("N");

    /// <summary>The deployment's random <c>APPMSG_SECRETS_KEY</c>, the same for every silo.</summary>
    public byte[] SecretsKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>A migrated, empty database on <paramref name="postgres"/>.</summary>
    public static async Task<AppMsgDeployment> CreateAsync(PostgresServer postgres)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await new DatabaseMigrator(connectionString, NullLogger.Instance).MigrateAsync();
        return new AppMsgDeployment(connectionString, "test-" + Guid.NewGuid().ToString("N")[..8]);
    }

    public SiloSettings SiloSettings(string name, int? siloPort = null, int? gatewayPort = null) => new()
    {
        ConnectionString = ConnectionString,
        ClusterId = ClusterId,
        ServiceId = ClusterId,
        SiloName = name,
        SiloPort = siloPort ?? FreePort.Next(),
        GatewayPort = gatewayPort ?? FreePort.Next(),
        MetricsPort = FreePort.Next(),
        PasswordIterations = 1_000, // the slow hash is the product's; tests create thousands of users
        SecretsKey = SecretsKey,
    };

    public EdgeSettings EdgeSettings(string edgeId, int? httpPort = null, int? tcpPort = null) => new()
    {
        ConnectionString = ConnectionString,
        ClusterId = ClusterId,
        ServiceId = ClusterId,
        EdgeId = edgeId,
        HttpPort = httpPort ?? FreePort.Next(),
        TcpPort = tcpPort ?? FreePort.Next(),
        AdminKey = AdminKey,
    };

    public async Task<IHost> StartSiloAsync(SiloSettings settings)
    {
        var builder = SiloHostBuilder.Create(settings);
        QuietLogs(builder.Logging);
        var host = builder.Build();
        await host.StartAsync();
        hosts.Add(host);
        return host;
    }

    public async Task<WebApplication> StartEdgeAsync(EdgeSettings settings)
    {
        var builder = EdgeHostBuilder.Create(settings);
        QuietLogs(builder.Logging);
        var app = builder.Build().MapEdge();
        await app.StartAsync();
        hosts.Add(app);
        return app;
    }

    /// <summary>Stops a host gracefully and forgets it.</summary>
    public async Task StopAsync(IHost host)
    {
        hosts.Remove(host);
        await host.StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Edges first, then silos, the reverse of start.
        for (var i = hosts.Count - 1; i >= 0; i--)
        {
            try
            {
                await StopAsync(hosts[i]);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static void QuietLogs(ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Orleans", LogLevel.Error);
        logging.AddFilter("Microsoft", LogLevel.Error);
    }
}
