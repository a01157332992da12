using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AppMsg.Hosting;

/// <summary>Checks made before the silo starts, so that a bad setting fails fast with one clear line.</summary>
public static class StartupChecks
{
    /// <summary>Opens one connection to the configured database.</summary>
    public static async Task CheckDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StartupException($"ConnectionStrings__AppMsg is not a valid PostgreSQL connection string ({e.Message})", ExitCodes.Configuration, e);
        }

        if (builder.Timeout > 10)
        {
            builder.Timeout = 10;
        }

        // One connection, closed for good: it does not linger in a pool outside the process's budget.
        builder.Pooling = false;

        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException or InvalidOperationException)
        {
            var reason = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new StartupException(
                $"cannot connect to PostgreSQL at {builder.Host}:{builder.Port}, database '{builder.Database}': {reason}; check ConnectionStrings__AppMsg and that the server is running",
                ExitCodes.Database, e);
        }
    }

    /// <summary>Fails when a port this process must listen on is taken.</summary>
    public static void CheckPortFree(int port, string settingName)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            throw new StartupException($"port {port} is already in use (or not permitted); stop what holds it or choose another port with {settingName}", ExitCodes.PortInUse, e);
        }
    }
}
