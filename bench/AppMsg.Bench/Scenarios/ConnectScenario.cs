using AppMsg.Bench.Infrastructure;
using AppMsg.Bench.Report;
using AppMsg.Bench.Systems;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// N idle devices: the resident memory the server process gains per connection (RSS after connecting and
/// idling, minus RSS before, over N) and how fast they connect (AppMsg: TCP or WebSocket plus REGISTER).
/// </summary>
public sealed class ConnectScenario(BenchOptions options, string logDirectory) : Scenario(options, logDirectory)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    /// <summary>Devices that connect, register and close before the measured ones: see <see cref="WarmUpAsync"/>.</summary>
    private const int WarmUpDevices = 200;

    protected override string Name => "connect";

    protected override ResultTable CreateMainTable(ScenarioReport report)
    {
        report.Parameters["connections"] = Options.Connections;
        report.Parameters["hold_s"] = Options.DurationSeconds;
        report.Parameters["concurrency"] = Options.SetupConcurrency;
        report.Parameters["transport"] = Options.Transport;
        report.Notes.Add("Memory: VmRSS of the process holding the connections (AppMsg: the edge) after connecting and holding, minus before connecting, over the connections. GC heaps make this noisy; it includes per-session state, not only sockets.");
        report.Notes.Add($"Before \"RSS before\", up to {WarmUpDevices} of the devices connect over the same transport, register and close: what a transport costs once per process (its code compiled on first use, pools, the TLS context) is then not spread over the connections measured.");
        report.Notes.Add("Connections per second: all devices connecting with --concurrency at a time; AppMsg's include REGISTER (token check, tenant, attach to the user's sessions grain).");
        return new ResultTable
        {
            Title = $"Idle connections: {Options.Connections:N0} devices",
            Columns =
            [
                new("connected", "connected"),
                new("failed", "failed"),
                new("connections_per_s", "connections/s", "N0", Ratio: true),
                new("rss_before_mib", "RSS before MiB", "N0"),
                new("rss_after_mib", "RSS after MiB", "N0"),
                new("kib_per_connection", "KiB/connection", "0.00", Ratio: true),
                new("silo_kib_per_connection", "silo KiB/connection", "0.00"),
                new("silo_idle_bytes_per_connection_min", "silo I/O bytes/connection/min idle", "0.00"),
                new("disconnects", "disconnects"),
            ],
        };
    }

    protected override async Task RunSystemAsync(IBenchSystem system, ScenarioReport report, CancellationToken cancellationToken)
    {
        var count = Options.Connections;
        var users = await system.CreateUsersAsync(count, cancellationToken);
        await WarmUpAsync(system, users, cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        var pid = system.ConnectionProcessId;
        var before = pid is { } p ? ProcStats.RssBytes(p) : null;
        var siloPid = system.ClusterProcessId;
        var siloBefore = siloPid is { } sp ? ProcStats.RssBytes(sp) : null;
        var cpu = Cpu(system);
        cpu.Start();
        var (connections, failures, elapsed, firstError) = await ConnectAllAsync(system, users, group: null, persistent: false, (_, _) => { }, cancellationToken);
        var row = Row(system);
        try
        {
            row.CpuPercent = cpu.Stop();
            var connected = count - failures;
            ProgressTicker.Say($"{system.Name}: {connected} connected in {elapsed.TotalSeconds:0.0} s; holding {Options.DurationSeconds} s");
            // What the cluster side costs while the devices sit idle: every byte the silo reads or writes (its edge,
            // database and peer traffic, the session leases included), per connection and minute of holding.
            var siloIoBefore = siloPid is { } sio ? ProcStats.IoBytes(sio) : null;
            var held = System.Diagnostics.Stopwatch.StartNew();
            await using (new ProgressTicker($"{system.Name}: holding", () =>
                $"RSS {(pid is { } q ? ProcStats.RssBytes(q) / 1048576.0 : null):0} MiB, disconnects {connections.Sum(c => c?.Disconnects ?? 0)}"))
            {
                await Task.Delay(Options.Duration + Settle, cancellationToken);
            }

            var after = pid is { } r ? ProcStats.RssBytes(r) : null;
            var siloAfter = siloPid is { } sa ? ProcStats.RssBytes(sa) : null;
            var siloIoAfter = siloPid is { } sia ? ProcStats.IoBytes(sia) : null;
            row.Metrics["silo_kib_per_connection"] = siloBefore is { } sb && siloAfter is { } sa2 && count > failures
                ? Math.Round((sa2 - sb) / 1024.0 / (count - failures), 2) : null;
            row.Metrics["silo_idle_bytes_per_connection_min"] = siloIoBefore is { } ib && siloIoAfter is { } ia && count > failures
                ? Math.Round((ia - ib) / (double)(count - failures) / held.Elapsed.TotalMinutes, 2) : null;
            row.Metrics["connected"] = connected;
            row.Metrics["failed"] = failures;
            row.Metrics["connect_seconds"] = Math.Round(elapsed.TotalSeconds, 2);
            row.Metrics["connections_per_s"] = Math.Round(connected / elapsed.TotalSeconds);
            row.Metrics["rss_before_mib"] = before / 1048576.0;
            row.Metrics["rss_after_mib"] = after / 1048576.0;
            row.Metrics["kib_per_connection"] = before is { } b && after is { } a && connected > 0 ? Math.Round((a - b) / 1024.0 / connected, 2) : null;
            row.Metrics["disconnects"] = connections.Sum(c => c?.Disconnects ?? 0);
            row.Notes.Add($"transport {TransportNote(system)}");
            if (pid is null)
            {
                row.Notes.Add("memory unknown: give --edge-pid for a running system");
            }

            if (failures > 0)
            {
                row.Status = $"FAILED: {failures} connects ({firstError})";
            }

            MainTable.Rows.Add(row);
        }
        finally
        {
            await DisconnectAllAsync(connections);
        }
    }

    /// <summary>
    /// The first connections over a transport cost more than the rest: the runtime compiles that transport's code, pools
    /// fill, a TLS server builds its context. A few devices pay that first here, so it is not spread over the measured
    /// ones (at 2,000 TLS connections it took 1.7 KiB off each: docs/BENCHMARKS.md, "TLS session 8").
    /// </summary>
    private async Task WarmUpAsync(IBenchSystem system, IReadOnlyList<BenchUser> users, CancellationToken cancellationToken)
    {
        var warm = users.Take(Math.Min(WarmUpDevices, users.Count)).ToList();
        var (connections, failures, _, firstError) = await ConnectAllAsync(system, warm, group: null, persistent: false, (_, _) => { }, cancellationToken);
        await DisconnectAllAsync(connections);
        ProgressTicker.Say($"{system.Name}: warm-up: {warm.Count - failures} devices connected and closed{(failures > 0 ? $", {failures} failed ({firstError})" : "")}");
    }
}
