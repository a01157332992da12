using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AppMsg.Hosting;

/// <summary>
/// At start, compares the process's <see cref="ConnectionBudget"/> with what the PostgreSQL server allows
/// (<c>max_connections</c> less the superuser slots, less the connections already open) and logs a warning when
/// it does not fit. It never stops the process: pools open connections lazily, so a deployment may work for a
/// while and fail as unavailable under load; the warning says which setting to change first.
/// </summary>
public sealed partial class ConnectionBudgetCheck(string connectionString, ConnectionBudget budget, string process, ILogger<ConnectionBudgetCheck> logger)
    : IHostedService
{
    /// <summary>What the server allows and has in use.</summary>
    public sealed record ServerConnections(int MaxConnections, int SuperuserReserved, int InUse)
    {
        /// <summary>Connections ordinary clients may still open.</summary>
        public int Free => MaxConnections - SuperuserReserved - InUse;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ServerConnections server;
        try
        {
            server = await ReadAsync(connectionString, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogNotChecked(logger, process, e.Message);
            return;
        }

        if (budget.Total > server.MaxConnections - server.SuperuserReserved)
        {
            LogOverMax(logger, process, budget.Total, budget.PoolSize, budget.OrleansPoolSize, server.MaxConnections, server.SuperuserReserved);
        }
        else if (budget.Total > server.Free)
        {
            LogOverFree(logger, process, budget.Total, budget.PoolSize, budget.OrleansPoolSize, server.MaxConnections, server.InUse);
        }
        else
        {
            LogFits(logger, process, budget.Total, budget.PoolSize, budget.OrleansPoolSize, server.MaxConnections, server.InUse);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The server's <c>max_connections</c>, reserved slots, and client connections open now (besides this one).</summary>
    public static async Task<ServerConnections> ReadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5, CommandTimeout = 5 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT current_setting('max_connections')::int,
                   current_setting('superuser_reserved_connections')::int,
                   (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())::int
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ServerConnections(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL connection budget of this {Process} ({Total}: pools {Pool} + {OrleansPool}, 1 unpooled) exceeds what the server allows (max_connections {Max} less {Reserved} superuser slots): raise max_connections or lower APPMSG_DB_POOL_SIZE / APPMSG_DB_ORLEANS_POOL_SIZE (docs/resources.md)")]
    private static partial void LogOverMax(ILogger logger, string process, int total, int pool, int orleansPool, int max, int reserved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL connection budget of this {Process} ({Total}: pools {Pool} + {OrleansPool}, 1 unpooled) does not fit beside the {InUse} connections already open (max_connections {Max}): under load its calls may fail as unavailable; raise max_connections or lower the pools (docs/resources.md)")]
    private static partial void LogOverFree(ILogger logger, string process, int total, int pool, int orleansPool, int max, int inUse);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL connection budget of this {Process}: {Total} (pools {Pool} + {OrleansPool}, 1 unpooled); max_connections {Max}, {InUse} in use")]
    private static partial void LogFits(ILogger logger, string process, int total, int pool, int orleansPool, int max, int inUse);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL connection budget of this {Process} not checked: {Reason}")]
    private static partial void LogNotChecked(ILogger logger, string process, string reason);
}
