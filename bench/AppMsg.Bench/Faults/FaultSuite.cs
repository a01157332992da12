using System.Diagnostics;
using AppMsg.Bench.Infrastructure;

namespace AppMsg.Bench.Faults;

/// <summary>
/// The fault suite: starts a cluster of separate processes (PostgreSQL, two silos, two edges), connects the devices,
/// sends steady traffic, injects the faults one after another with steady traffic between them, lets every device SYNC,
/// and has <see cref="FaultOracle"/> judge what arrived. Used by <c>./run.sh bench faults</c> and by tests/Faults.Tests.
/// </summary>
public sealed class FaultSuite(FaultSuiteOptions options, string logDirectory)
{
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(120);
    private readonly Dictionary<FaultKind, int> injections = [];

    /// <summary>The private PostgreSQL's version, once started.</summary>
    public string? PostgresVersion { get; private set; }

    /// <exception cref="ArgumentException">The steady period leaves no time after the bound, so nothing would be judged there.</exception>
    public async Task<FaultSuiteResult> RunAsync(CancellationToken cancellationToken)
    {
        if (options.SteadySeconds <= options.BoundSeconds + options.LiveDeadlineSeconds)
        {
            throw new ArgumentException(
                $"the steady period ({options.SteadySeconds} s) must be longer than the bound plus the live deadline ({options.BoundSeconds} + {options.LiveDeadlineSeconds} s): " +
                "a window's sends after the bound are what the verdict is about");
        }

        Say($"starting PostgreSQL, 2 silos and 2 edges (logs in {logDirectory})");
        await using var cluster = await FaultCluster.StartAsync(options, logDirectory, cancellationToken);
        PostgresVersion = cluster.Postgres.Version;
        using var api = new OperatorApi(cluster.EdgeHttp, cluster.AdminKey, TimeSpan.FromSeconds(15));
        Say($"creating {options.Devices} users and {options.Quns} quns");
        var directory = await FaultDirectory.CreateAsync(api, options, cancellationToken);
        var devices = directory.Users
            .Select((u, i) => new FaultDevice(i, u.UserId, u.Token, directory.QunOf(i), directory.QunIds[directory.QunOf(i)] + "@qun"))
            .ToArray();

        using var picker = new EdgePicker(cluster.EdgeHttp);
        using var connectGate = new SemaphoreSlim(options.SetupConcurrency);
        using var stopDevices = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = devices.Select(d => d.RunAsync(cluster.EdgeTcp[d.Index % cluster.EdgeCount], picker, connectGate, stopDevices.Token)).ToArray();
        try
        {
            Say($"connecting {devices.Length} devices over {cluster.EdgeCount} edges");
            if (!await WaitConnectedAsync(devices, ConnectLimit, cancellationToken))
            {
                throw new TimeoutException($"only {devices.Count(d => d.Session is not null)} of {devices.Length} devices registered in {ConnectLimit.TotalSeconds:0} s");
            }

            // Registered is not settled: REGRESP comes before the replay, and a message stored during the replay
            // arrives by replay, not live. Traffic starts once the replays (of the quns' notices) are over.
            await WaitQuietAsync(devices, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), cancellationToken);
            await Task.Delay(FaultOracle.SettleBeforeSend, cancellationToken);
            var plannedSeconds = options.SteadySeconds * (options.Faults.Count + 1) + options.Faults.Sum(f => f == FaultKind.Idle ? options.IdleSeconds : options.DownSeconds + 30);
            var sender = new TrafficSender(api, cluster, devices, directory, options.Rate, (int)Math.Min(int.MaxValue, (long)options.Rate * plannedSeconds * 2 + 10_000));
            var windows = new List<FaultWindow>();
            using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var trafficStart = Stopwatch.GetTimestamp();
            var sending = sender.RunAsync(stopTraffic.Token);
            var current = "baseline";
            await using (options.Progress ? new ProgressTicker("faults", () => Status(sender, devices, current)) : null)
            {
                windows.Add(new FaultWindow("baseline", null, trafficStart, null));
                await Task.Delay(TimeSpan.FromSeconds(options.SteadySeconds), cancellationToken);
                foreach (var fault in options.Faults)
                {
                    current = Name(fault);
                    await InjectAsync(fault, cluster, sender, windows, cancellationToken);
                }

                await stopTraffic.CancelAsync();
                await sending;
                current = "draining";
                await sender.DrainAsync(TimeSpan.FromSeconds(30));
            }

            var trafficEnd = Stopwatch.GetTimestamp();
            Say("traffic stopped; every device sends SYNC {} for what it is missing");
            await Task.Delay(TimeSpan.FromSeconds(options.LiveDeadlineSeconds), cancellationToken);
            await WaitConnectedAsync(devices, TimeSpan.FromSeconds(60), cancellationToken);
            var connectedAtEnd = await SyncAllAsync(devices, cancellationToken);

            await stopDevices.CancelAsync();
            await Task.WhenAll(running);
            var result = FaultOracle.Evaluate(sender.Messages, devices, directory.QunIds.Count, windows, options, trafficStart, trafficEnd);
            result.ConnectedAtEnd = connectedAtEnd;
            result.NotSent = sender.NotSent;
            var findings = Path.Combine(logDirectory, "findings.csv");
            await File.WriteAllLinesAsync(findings, result.Findings, CancellationToken.None);
            Say($"{result.Findings.Count - 1} findings (refusals, losses, live misses) in {findings}");
            return result;
        }
        finally
        {
            await stopDevices.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    /// <summary>Injects one fault, then keeps steady traffic going for the steady period after it.</summary>
    private async Task InjectAsync(FaultKind fault, FaultCluster cluster, TrafficSender sender, List<FaultWindow> windows, CancellationToken cancellationToken)
    {
        var ordinal = injections[fault] = injections.GetValueOrDefault(fault) + 1;
        var down = TimeSpan.FromSeconds(options.DownSeconds);
        var deadline = Ticks(TimeSpan.FromSeconds(options.LiveDeadlineSeconds));
        long injected;
        switch (fault)
        {
            case FaultKind.Silo:
            {
                // The second silo first: the first is the one that started the cluster.
                var silo = ordinal % cluster.SiloCount;
                injected = Stopwatch.GetTimestamp();
                windows.Add(new FaultWindow(Name(fault), fault, injected - deadline, injected));
                Say($"kill -9 silo-{silo + 1}");
                await cluster.KillSiloAsync(silo);
                await Task.Delay(down, cancellationToken);
                Say($"restarting silo-{silo + 1}");
                await cluster.StartSiloAsync(silo, cancellationToken);
                break;
            }

            case FaultKind.Edge:
            {
                var edge = (ordinal - 1) % cluster.EdgeCount;
                injected = Stopwatch.GetTimestamp();
                windows.Add(new FaultWindow(Name(fault), fault, injected - deadline, injected));
                Say($"kill -9 edge-{edge + 1}");
                await cluster.KillEdgeAsync(edge);
                await Task.Delay(down, cancellationToken);
                Say($"restarting edge-{edge + 1}");
                await cluster.StartEdgeAsync(edge, cancellationToken);
                break;
            }

            case FaultKind.Postgres:
                injected = Stopwatch.GetTimestamp();
                windows.Add(new FaultWindow(Name(fault), fault, injected - deadline, injected));
                Say("PostgreSQL: pg_ctl stop -m immediate, then start");
                await cluster.Postgres.RestartImmediateAsync(down, cancellationToken);
                break;

            default:
                var pausedAt = Stopwatch.GetTimestamp();
                Say($"idle: no traffic for {options.IdleSeconds} s (grain collection age {options.GrainCollectionAgeSeconds} s)");
                sender.Pause();
                await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), cancellationToken);
                injected = Stopwatch.GetTimestamp();
                windows.Add(new FaultWindow(Name(fault), fault, pausedAt, injected));
                sender.Resume();
                Say("idle: traffic resumes");
                break;
        }

        var rest = TimeSpan.FromSeconds(options.SteadySeconds) - Stopwatch.GetElapsedTime(injected);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, cancellationToken);
        }
    }

    /// <summary>Every registered device sends SYNC <c>{}</c>; then waits until receipts stop coming. Returns how many were registered.</summary>
    private static async Task<int> SyncAllAsync(FaultDevice[] devices, CancellationToken cancellationToken)
    {
        var registered = devices.Count(d => d.Session is not null);
        var synced = 0;
        await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (device, token) =>
        {
            if (await device.SyncAsync(token))
            {
                Interlocked.Increment(ref synced);
            }
        });
        Say($"SYNC answered on {synced} of {devices.Length} devices ({registered} registered)");
        await WaitQuietAsync(devices, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60), cancellationToken);
        return registered;
    }

    /// <summary>Waits until no device has received anything for <paramref name="quiet"/>, at most <paramref name="limit"/>.</summary>
    private static async Task WaitQuietAsync(FaultDevice[] devices, TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var last = devices.Sum(d => d.Received);
        var quietSince = Stopwatch.GetTimestamp();
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(quietSince) < quiet && Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(250, cancellationToken);
            var now = devices.Sum(d => d.Received);
            if (now != last)
            {
                last = now;
                quietSince = Stopwatch.GetTimestamp();
            }
        }
    }

    private static async Task<bool> WaitConnectedAsync(FaultDevice[] devices, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (devices.Any(d => d.Session is null))
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                return false;
            }

            await Task.Delay(200, cancellationToken);
        }

        return true;
    }

    private static string Status(TrafficSender sender, FaultDevice[] devices, string window) =>
        $"{window}: accepted {sender.Accepted}, refused {sender.Refused}, in flight {sender.InFlight}, registered {devices.Count(d => d.Session is not null)}/{devices.Length}";

    public static string Name(FaultKind fault) => fault switch
    {
        FaultKind.Silo => "silo kill",
        FaultKind.Edge => "edge kill",
        FaultKind.Postgres => "postgres restart",
        _ => "idle",
    };

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static void Say(string text) => ProgressTicker.Say("faults: " + text);
}
