using Microsoft.Extensions.Configuration;
using Npgsql;

namespace AppMsg.Hosting;

/// <summary>
/// The PostgreSQL connections one process may hold at most: the size of each of its connection pools, and
/// how long a caller waits to open a connection or for a free one before the call fails as unavailable.
/// A silo has two pools: the grains' own SQL (<see cref="PoolSize"/>: timelines, cursors, directory
/// indexes) and Orleans' ADO.NET providers (<see cref="OrleansPoolSize"/>: grain state, membership,
/// reminders, which share one connection string and so one pool). An edge has the second, for the Orleans
/// client's membership reads, and in place of the first its media pool (<see cref="PoolSize"/>: uploads and
/// downloads of media chunks, docs/media.md). See docs/resources.md.
/// </summary>
public sealed record ConnectionBudget
{
    /// <summary>Silo: the grains' pool, <c>APPMSG_DB_POOL_SIZE</c>.</summary>
    public const int DefaultPoolSize = 30;

    /// <summary>Silo: Orleans' pool, <c>APPMSG_DB_ORLEANS_POOL_SIZE</c>.</summary>
    public const int DefaultSiloOrleansPoolSize = 30;

    /// <summary>Edge: the media pool, <c>APPMSG_DB_MEDIA_POOL_SIZE</c>.</summary>
    public const int DefaultEdgeMediaPoolSize = 4;

    /// <summary>Edge: the Orleans client's pool, <c>APPMSG_DB_ORLEANS_POOL_SIZE</c>.</summary>
    public const int DefaultEdgeOrleansPoolSize = 4;

    /// <summary><c>APPMSG_DB_TIMEOUT_SECONDS</c>.</summary>
    public const int DefaultTimeoutSeconds = 10;

    /// <summary>Connections a process opens outside its pools: the start-up check and the migrations, one at a time.</summary>
    public const int UnpooledConnections = 1;

    /// <summary>PostgreSQL's <c>superuser_reserved_connections</c> default: slots ordinary clients never get.</summary>
    public const int SuperuserReservedConnections = 3;

    /// <summary>Slots left for operators (psql), a rolling restart's overlap and monitoring.</summary>
    public const int Headroom = 10;

    /// <summary>The grains' own pool (silo), or the media pool (edge).</summary>
    public int PoolSize { get; init; }

    /// <summary>The pool of Orleans' ADO.NET storage, clustering and reminders (silo) or clustering (edge).</summary>
    public int OrleansPoolSize { get; init; }

    /// <summary>Seconds to open a connection or wait for a free one in a full pool (Npgsql <c>Timeout</c>).</summary>
    public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary>The most connections this process holds at once.</summary>
    public int Total => PoolSize + OrleansPoolSize + UnpooledConnections;

    /// <summary>A silo's default budget.</summary>
    public static ConnectionBudget SiloDefault { get; } = new() { PoolSize = DefaultPoolSize, OrleansPoolSize = DefaultSiloOrleansPoolSize };

    /// <summary>An edge's default budget.</summary>
    public static ConnectionBudget EdgeDefault { get; } = new() { PoolSize = DefaultEdgeMediaPoolSize, OrleansPoolSize = DefaultEdgeOrleansPoolSize };

    /// <summary>
    /// The <c>max_connections</c> a PostgreSQL server needs for <paramref name="silos"/> silos and
    /// <paramref name="edges"/> edges with these budgets (the defaults when null), reserved slots and headroom included.
    /// </summary>
    public static int ServerMaxConnections(int silos, int edges, ConnectionBudget? silo = null, ConnectionBudget? edge = null) =>
        (silos * (silo ?? SiloDefault).Total) + (edges * (edge ?? EdgeDefault).Total) + SuperuserReservedConnections + Headroom;

    /// <summary>Reads a silo's budget: <c>APPMSG_DB_POOL_SIZE</c>, <c>APPMSG_DB_ORLEANS_POOL_SIZE</c>, <c>APPMSG_DB_TIMEOUT_SECONDS</c>.</summary>
    /// <exception cref="StartupException">A setting is out of range.</exception>
    public static ConnectionBudget ForSilo(IConfiguration configuration) => new()
    {
        PoolSize = SettingReader.Int(configuration, "APPMSG_DB_POOL_SIZE", "AppMsg:DbPoolSize", DefaultPoolSize, 2, 1_000),
        OrleansPoolSize = OrleansPool(configuration, DefaultSiloOrleansPoolSize),
        TimeoutSeconds = Timeout(configuration),
    };

    /// <summary>Reads an edge's budget: <c>APPMSG_DB_MEDIA_POOL_SIZE</c>, <c>APPMSG_DB_ORLEANS_POOL_SIZE</c>, <c>APPMSG_DB_TIMEOUT_SECONDS</c>.</summary>
    /// <exception cref="StartupException">A setting is out of range.</exception>
    public static ConnectionBudget ForEdge(IConfiguration configuration) => new()
    {
        PoolSize = SettingReader.Int(configuration, "APPMSG_DB_MEDIA_POOL_SIZE", "AppMsg:DbMediaPoolSize", DefaultEdgeMediaPoolSize, 1, 1_000),
        OrleansPoolSize = OrleansPool(configuration, DefaultEdgeOrleansPoolSize),
        TimeoutSeconds = Timeout(configuration),
    };

    /// <summary><paramref name="connectionString"/> for the grains' pool (silo) or the media pool (edge).</summary>
    public string ForGrains(string connectionString) => WithPool(connectionString, PoolSize);

    /// <summary><paramref name="connectionString"/> for Orleans' ADO.NET providers.</summary>
    public string ForOrleans(string connectionString) => WithPool(connectionString, OrleansPoolSize);

    private string WithPool(string connectionString, int size)
    {
        // The budget wins over a pool size named in the connection string: it is what max_connections was sized for.
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            MaxPoolSize = size,
            MinPoolSize = 0,
            Timeout = TimeoutSeconds,
        };
        return builder.ConnectionString;
    }

    private static int OrleansPool(IConfiguration configuration, int fallback) =>
        SettingReader.Int(configuration, "APPMSG_DB_ORLEANS_POOL_SIZE", "AppMsg:DbOrleansPoolSize", fallback, 2, 1_000);

    private static int Timeout(IConfiguration configuration) =>
        SettingReader.Int(configuration, "APPMSG_DB_TIMEOUT_SECONDS", "AppMsg:DbTimeoutSeconds", DefaultTimeoutSeconds, 1, 300);
}
