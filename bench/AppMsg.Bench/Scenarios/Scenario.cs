using System.Diagnostics;
using AppMsg.Bench.Infrastructure;
using AppMsg.Bench.Report;
using AppMsg.Bench.Systems;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// Runs one scenario against AppMsg and each peer in turn (never at the same time: they share the machine),
/// each started fresh and stopped afterwards. A system that fails to start, fails during the run, or loses
/// messages gets a row saying so.
/// </summary>
public abstract class Scenario(BenchOptions options, string logDirectory) : IScenario
{
    protected BenchOptions Options { get; } = options;

    public string? PostgresVersion { get; private set; }

    protected abstract string Name { get; }

    /// <summary>The table that failure rows go to.</summary>
    protected ResultTable MainTable { get; private set; } = null!;

    /// <summary>The row being measured, so that a failure is labelled with it.</summary>
    protected string CurrentVariant { get; set; } = "";

    private string currentTransport = "mixed";

    public async Task<ScenarioReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new ScenarioReport { Scenario = Name };
        MainTable = CreateMainTable(report);
        report.Tables.Add(MainTable);
        foreach (var name in Options.Systems)
        {
            IBenchSystem system = name switch
            {
                "appmsg" => new AppMsgSystem(Options, Path.Combine(logDirectory, "appmsg")),
                "signalr" => new SignalRSystem(Path.Combine(logDirectory, "signalr")),
                "nats" => new NatsSystem(Path.Combine(logDirectory, "nats")),
                _ => new MosquittoSystem(Path.Combine(logDirectory, "mosquitto")),
            };
            CurrentVariant = "";
            ProgressTicker.Say($"{Name}: {system.Name}");
            var stopped = false;
            try
            {
                await system.StartAsync(cancellationToken);
                if (system is AppMsgSystem appMsg)
                {
                    PostgresVersion = appMsg.PostgresVersion;
                }

                foreach (var transport in TransportsToRun(system))
                {
                    currentTransport = transport;
                    await RunSystemAsync(system, report, cancellationToken);
                }
            }
            catch (PeerUnavailableException e)
            {
                AddFailure(system, $"unavailable: {e.Message}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                AddFailure(system, "STOPPED (timeout or Ctrl-C)");
                stopped = true;
            }
            catch (Exception e)
            {
                ProgressTicker.Say($"{system.Name} failed: {e}");
                AddFailure(system, $"FAILED: {e.GetType().Name}: {FirstLine(e.Message)}");
            }
            finally
            {
                ProgressTicker.Say($"{Name}: stopping {system.Name}");
                await system.DisposeAsync();
            }

            if (stopped)
            {
                break;
            }
        }

        return report;
    }

    protected abstract ResultTable CreateMainTable(ScenarioReport report);

    protected abstract Task RunSystemAsync(IBenchSystem system, ScenarioReport report, CancellationToken cancellationToken);

    /// <summary>A row of the system; with --transport each, its variant names the transport too.</summary>
    protected SystemResult Row(IBenchSystem system, string variant = "") => new()
    {
        System = system.Name,
        Variant = Options.Transport != "each" && !Options.Tls ? variant : variant.Length == 0 ? currentTransport : $"{variant}, {currentTransport}",
        IsAppMsg = system.IsAppMsg,
    };

    /// <summary>
    /// Each transport the system has, one run apiece, for --transport each; else the one asked for. With --tls, each plain
    /// transport is followed by its TLS form (tcp: tls, ws: wss; mixed: tcp, tls, ws, wss) where the system has it.
    /// </summary>
    private IReadOnlyList<string> TransportsToRun(IBenchSystem system)
    {
        var tls = Options.Tls && system.IsAppMsg;
        IReadOnlyList<string> plain = Options.Transport == "each" ? [.. system.Transports.Where(t => t is not ("tls" or "wss"))]
            : tls && Options.Transport == "mixed" ? ["tcp", "ws"] : [Options.Transport];
        if (!tls)
        {
            return plain;
        }

        return [.. plain.SelectMany(t => t switch
        {
            "tcp" => new[] { "tcp", "tls" },
            "ws" => ["ws", "wss"],
            _ => [t],
        }).Where(t => t is not ("tls" or "wss") || system.Transports.Contains(t))];
    }

    protected static CpuMeter Cpu(IBenchSystem system) => new(system.CpuSources);

    /// <summary>The transport of device <paramref name="index"/>: the one asked for, alternating tcp and ws for "mixed", or what the system has.</summary>
    protected string TransportFor(IBenchSystem system, int index)
    {
        if (currentTransport == "mixed")
        {
            var both = system.Transports.Where(t => t is "tcp" or "ws").ToArray();
            return both.Length == 0 ? system.Transports[0] : both[index % both.Length];
        }

        return system.Transports.Contains(currentTransport) ? currentTransport : system.Transports[0];
    }

    protected string TransportNote(IBenchSystem system) =>
        currentTransport == "mixed" ? string.Join("+", system.Transports.Where(t => t is "tcp" or "ws").DefaultIfEmpty(system.Transports[0]))
        : system.Transports.Contains(currentTransport) ? currentTransport : system.Transports[0];

    /// <summary>Connects every user's device; returns the connections (null where the connect failed) and how long it took.</summary>
    protected async Task<(IBenchConnection?[] Connections, int Failures, TimeSpan Elapsed, string? FirstError)> ConnectAllAsync(
        IBenchSystem system, IReadOnlyList<BenchUser> users, string? group, bool persistent, MessageHandler onMessage, CancellationToken cancellationToken)
    {
        var connections = new IBenchConnection?[users.Count];
        var failures = 0;
        var connected = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        await using (new ProgressTicker($"{system.Name}: connecting", () =>
        {
            var n = Volatile.Read(ref connected);
            return $"{n}/{users.Count} connected ({n / Math.Max(0.001, Stopwatch.GetElapsedTime(started).TotalSeconds):0}/s), {Volatile.Read(ref failures)} failed";
        }))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, users.Count), new ParallelOptions { MaxDegreeOfParallelism = Options.SetupConcurrency, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    try
                    {
                        connections[i] = await system.ConnectAsync(users[i], i, new ConnectOptions(TransportFor(system, i), group, persistent), onMessage, token);
                        Interlocked.Increment(ref connected);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {FirstLine(e.Message)}", null);
                    }
                });
        }

        return (connections, failures, Stopwatch.GetElapsedTime(started), firstError);
    }

    /// <summary>
    /// After a phase with missing deliveries: every device asks for what it missed (AppMsg: SYNC), and the
    /// ledger waits for the replay. False when the system has no such request (the loss stands).
    /// </summary>
    protected static async Task<bool> RecoverAllAsync(IBenchSystem system, IEnumerable<IBenchConnection?> connections, DeliveryLedger ledger, CancellationToken cancellationToken)
    {
        var supported = 0;
        ProgressTicker.Say($"{system.Name}: deliveries are missing; every device sends SYNC to fetch what it missed");
        await Parallel.ForEachAsync(connections.OfType<IBenchConnection>(), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (c, token) =>
            {
                if (await c.RecoverAsync(token))
                {
                    Interlocked.Increment(ref supported);
                }
            });
        if (supported > 0)
        {
            await WaitAsync(() => false, () => ledger.Delivered, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30), cancellationToken);
        }

        return supported > 0;
    }

    protected static async Task DisconnectAllAsync(IEnumerable<IBenchConnection?> connections)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await Parallel.ForEachAsync(connections.OfType<IBenchConnection>(), new ParallelOptions { MaxDegreeOfParallelism = 256, CancellationToken = timeout.Token },
                async (c, _) =>
                {
                    try
                    {
                        await c.DisposeAsync();
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or TimeoutException)
                    {
                    }
                });
        }
        catch (OperationCanceledException)
        {
            ProgressTicker.Say("some devices did not close within 90 s; their server is stopped next");
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds, or nothing changed for <paramref name="quiet"/>, or <paramref name="limit"/> passed.</summary>
    protected static async Task<bool> WaitAsync(Func<bool> done, Func<long> progress, TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var last = progress();
        var lastChange = Stopwatch.GetTimestamp();
        while (!done())
        {
            if (Stopwatch.GetTimestamp() > deadline || Stopwatch.GetElapsedTime(lastChange) > quiet)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
            var now = progress();
            if (now != last)
            {
                last = now;
                lastChange = Stopwatch.GetTimestamp();
            }
        }

        return true;
    }

    protected static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private void AddFailure(IBenchSystem system, string status)
    {
        var row = Row(system, CurrentVariant);
        row.Status = status;
        MainTable.Rows.Add(row);
    }
}
