using System.Diagnostics;
using Npgsql;

namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one benchmark run: the machine's binaries, a fresh cluster under /tmp, a
/// free loopback port, run as the postgres user when the tool runs as root. Durability is left at
/// PostgreSQL's defaults (fsync and synchronous commit on): AppMsg's figures include durable storage.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string bin;
    private readonly string home;
    private IDisposable? atExit;

    private PrivatePostgres(string bin, string home, int port)
    {
        this.bin = bin;
        this.home = home;
        Port = port;
    }

    public int Port { get; }

    public string Version { get; private set; } = "";

    private string Data => Path.Combine(home, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// The server's <c>max_connections</c>: what two silos and two edges (the fault suite's cluster; the other scenarios
    /// run one silo, one edge and the Orleans publisher) may hold with the default connection budgets, and never below
    /// PostgreSQL's default.
    /// </summary>
    public static int MaxConnections => Math.Max(100, AppMsg.Hosting.ConnectionBudget.ServerMaxConnections(silos: 2, edges: 2));

    /// <summary>A database's connection string; the silo and the edge size their pools by their own budgets.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    /// <summary>The postmaster's pid (for CPU figures of the whole server), or null.</summary>
    public int? PostmasterPid
    {
        get
        {
            try
            {
                return int.Parse(File.ReadLines(Path.Combine(Data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
            {
                return null;
            }
        }
    }

    public static async Task<PrivatePostgres> StartAsync(CancellationToken cancellationToken)
    {
        var bin = AppMsg.Hosting.PostgresBinaries.Find("./run.sh bench does this for you");
        var home = System.IO.Directory.CreateTempSubdirectory("appmsg-bench-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", home], cancellationToken);
        }

        var server = new PrivatePostgres(bin, home, FreePorts.Next());
        server.atExit = ChildProcesses.AtExit(server.StopNow);
        await server.PgAsync("initdb", ["-D", server.Data, "-U", "postgres", "-A", "trust", "-E", "UTF8"], cancellationToken);
        await server.StartServerAsync(cancellationToken);
        await using (var connection = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await connection.OpenAsync(cancellationToken);
            server.Version = connection.PostgreSqlVersion.ToString();
            await using var create = new NpgsqlCommand("CREATE DATABASE appmsg", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return server;
    }

    /// <summary>
    /// An abrupt restart, as a crash of the database would be: <c>pg_ctl stop -m immediate</c> (no checkpoint, clients
    /// cut off), <paramref name="downFor"/> with no server, then a start on the same port and data (crash recovery).
    /// </summary>
    public async Task RestartImmediateAsync(TimeSpan downFor, CancellationToken cancellationToken)
    {
        await PgAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], cancellationToken);
        await Task.Delay(downFor, cancellationToken);
        await StartServerAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await PgAsync("pg_ctl", ["-D", Data, "-m", "fast", "-w", "stop"], CancellationToken.None, mustSucceed: false);
        atExit?.Dispose();
        Delete();
    }

    private Task StartServerAsync(CancellationToken cancellationToken) => PgAsync("pg_ctl", [
        "-D", Data, "-l", Path.Combine(home, "postgres.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections={MaxConnections} -c shared_buffers=256MB",
        "start"], cancellationToken);

    private void StopNow()
    {
        if (System.IO.Directory.Exists(Data))
        {
            PgAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], CancellationToken.None, mustSucceed: false).GetAwaiter().GetResult();
            Delete();
        }
    }

    private void Delete()
    {
        try
        {
            System.IO.Directory.Delete(home, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private Task PgAsync(string program, string[] arguments, CancellationToken cancellationToken, bool mustSucceed = true)
    {
        var path = Path.Combine(bin, program);
        return IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken, mustSucceed)
            : RunAsync(path, arguments, cancellationToken, mustSucceed);
    }

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken, bool mustSucceed = true)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (mustSucceed && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments.Take(4))} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
