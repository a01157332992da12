using Npgsql;

namespace AppMsg.Testing;

/// <summary>
/// A private PostgreSQL server for one test run, started from the machine's PostgreSQL binaries on a
/// free loopback port, in a fresh folder under /tmp (as the postgres user when running as root: the
/// server refuses root, and that user may not be able to enter the checkout). Durability settings are
/// off: the tests stop processes, never the machine.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string binDirectory;
    private readonly string home;
    private int databases;

    private PostgresServer(string binDirectory, string home, int port, int? maxConnections)
    {
        this.binDirectory = binDirectory;
        this.home = home;
        Port = port;
        MaxConnections = maxConnections;
    }

    public int Port { get; }

    /// <summary>The server's <c>max_connections</c>; null for PostgreSQL's default (100).</summary>
    public int? MaxConnections { get; }

    private string DataDirectory => Path.Combine(home, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <param name="maxConnections">
    /// The server's <c>max_connections</c>, sized for what the caller runs on it
    /// (<see cref="AppMsg.Hosting.ConnectionBudget.ServerMaxConnections"/>); null keeps PostgreSQL's default (100).
    /// </param>
    public static async Task<PostgresServer> StartAsync(int? maxConnections = null)
    {
        var bin = AppMsg.Hosting.PostgresBinaries.Find("./run.sh test does this for you");
        var home = System.IO.Directory.CreateTempSubdirectory("appmsg-test-pg-").FullName;
        if (IsRoot)
        {
            await MustSucceed("chown", ["postgres:postgres", home]);
        }

        var server = new PostgresServer(bin, home, FreePort.Next(), maxConnections);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopNow();
        await server.RunPg("initdb", ["-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>The connection string of the maintenance database.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"appmsg_test_{Interlocked.Increment(ref databases)}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    /// <summary>
    /// Stops the server (a database outage), keeping its data. A fast shutdown, not an immediate one: these test
    /// servers run with synchronous_commit off, so only a clean stop keeps the last commits.
    /// </summary>
    public Task StopAsync() => RunPg("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    /// <summary>Starts the stopped server again, on the same port and data.</summary>
    public Task StartAgainAsync() => RunPg("pg_ctl", [
        "-D", DataDirectory, "-l", Path.Combine(home, "postgres.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off{(MaxConnections is { } max ? $" -c max_connections={max}" : "")}",
        "start"]);

    public async ValueTask DisposeAsync()
    {
        await RunPg("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], mustSucceed: false);
        TryDelete();
    }

    private void StopNow()
    {
        if (!System.IO.Directory.Exists(DataDirectory))
        {
            return;
        }

        RunPg("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], mustSucceed: false).GetAwaiter().GetResult();
        TryDelete();
    }

    private void TryDelete()
    {
        try
        {
            System.IO.Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task RunPg(string program, string[] arguments, bool mustSucceed = true)
    {
        var path = Path.Combine(binDirectory, program);
        var result = IsRoot
            ? await ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : await ProcessRunner.RunAsync(path, arguments);
        if (mustSucceed && result.ExitCode != 0)
        {
            var log = Path.Combine(home, "postgres.log");
            var serverLog = File.Exists(log) ? File.ReadAllText(log) : "";
            throw new InvalidOperationException($"{program} failed ({result.ExitCode}): {result.Output}\n{serverLog}");
        }
    }

    private static async Task MustSucceed(string program, string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {result.Output}");
        }
    }
}
