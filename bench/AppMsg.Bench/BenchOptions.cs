using System.Globalization;

namespace AppMsg.Bench;

/// <summary>The command line: a scenario and its options.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        Usage: ./run.sh bench <scenario> [options]      (or: dotnet AppMsg.Bench.dll <scenario> [options])

        Scenarios:
          fanout    one qun/group of --members online devices; publishers through the HTTP API and an Orleans client
          direct    1:1 messages at --rate between --devices devices; then a ramp to the highest sustained rate
          connect   --connections idle devices: edge memory per connection, connections per second
          replay    --users offline users with --messages stored each reconnect at once: time until all caught up
          faults    2 silos + 2 edges as processes, --devices devices in --quns quns, --rate messages/s; kill -9 of a
                    silo and of an edge, a PostgreSQL crash-restart, an idle period; lost, gaps, live misses (docs/faults.md)
          notify    --users offline users with an iOS device in one qun, --messages messages to it: notifications/s to a
                    loopback APNs receiver, p50/p99 from send to provider request (docs/notifications.md)
          media     uploads and downloads of 1 MB and 50 MB objects against a local file's write and read (docs/media.md)
          all       the four benchmarks (not faults), one after the other (defaults)

        Options (defaults in brackets):
          --members N          fanout: qun members, all online [1000]
          --devices N          direct, faults: devices, one user each [2000]
          --rate R             direct: messages per second of the fixed-rate phase [5000]; faults: steady rate [200]
          --no-ramp            direct: skip the ramp to the highest sustained rate
          --ramp-rates a,b,..  direct: the ramp's steps [500,1000,2000,3000,4000,5000,6000,8000,10000,15000,20000]
          --step S             direct: seconds per ramp step [8]
          --connections N      connect: idle devices [15000]
          --users N            replay, notify: offline users [1000]
          --messages M         replay: stored messages per user; notify: messages to the qun [100]
          --notify-rate R      notify: send R messages/s to the qun for --duration seconds, open loop, instead of
                               --messages all at once (latency at a steady rate: R x users notifications/s)
          --duration S         seconds of each measured phase (fanout per publisher, direct fixed rate, connect hold) [20]
          --transport T        tcp, ws, wsjson, mixed (alternate tcp and ws) or each (a run per transport, rows apart) [mixed]; peers use what they have
          --publishers K       fanout: concurrent publish calls [8]
          --window W           fanout: messages published but not yet received by every member, at most [32]
          --fanout-rate R      fanout: publish at R messages/s, open loop, instead of driving by the window (light-load latency)
                               (one overtaken by a fully delivered later message, or older than 10 s, no longer counts)
          --tls                AppMsg: each plain transport is run again over TLS in the same run (tcp then tls://, ws then wss://;
                               mixed: tcp, tls, ws, wss), the edge serving a self-signed certificate the devices pin
          --no-metrics         AppMsg: the edge exports no metrics (APPMSG_METRICS_EXPORT=0): what the meters cost, against a run without it
          --systems LIST       appmsg,nats,signalr,mosquitto [all four]
          --appmsg-publishers  http,orleans,im [all three; im: IM from a member device]; also http-app (POST /v1/messages
                               with an app's credential, no quotas) and http-quota (a new app's credential, quotas set far
                               above the load on it and its tenant: every check runs, none refuses)
          --quota              direct: the fixed-rate phase without quotas, with such quotas on the tenant, then without again
          --concurrency C      set-up and connect concurrency [64]
          --faults LIST        faults: silo,edge,postgres,idle in the order given, or none [silo,edge,postgres,idle]
          --quns Q             faults: quns the users are dealt into [4]
          --steady S           faults: seconds of steady traffic before the first fault and after each [30]
          --down S             faults: seconds a killed silo/edge or the stopped database stays down [5]
          --idle S             faults: seconds without traffic in the idle fault [45]
          --collection-age S   faults: the silos' APPMSG_GRAIN_COLLECTION_AGE_SECONDS [30]
          --bound S            faults: seconds after an injection within which misses are tolerated [10]
          --live-deadline S    faults: how late after the accept a live delivery still counts as live [5]
          --timeout S          hard limit for the whole run, seconds [1800]
          --out DIR            where the JSON goes [bench/results]
          --target URL         benchmark a running AppMsg (edge HTTP URL) instead of starting one; with
          --admin-key KEY      its admin key (or APPMSG_ADMIN_KEY),
          --connection-string  its database (or ConnectionStrings__AppMsg) for the Orleans publisher,
          --cluster-id ID      its cluster id (or APPMSG_CLUSTER_ID) [appmsg],
          --edge-pid PID       its edge process, for memory and CPU figures
        """;

    public string Scenario { get; init; } = "";
    public int Members { get; init; } = 1000;
    public int Devices { get; init; } = 2000;
    public int Rate { get; init; } = 5000;
    public bool Ramp { get; init; } = true;
    public Faults.FaultSuiteOptions FaultSuite { get; init; } = new();

    public IReadOnlyList<int> RampRates { get; init; } = [500, 1000, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 15000, 20000];
    public int StepSeconds { get; init; } = 8;
    public int Connections { get; init; } = 15000;
    public int Users { get; init; } = 1000;
    public int Messages { get; init; } = 100;
    public int DurationSeconds { get; init; } = 20;
    public string Transport { get; init; } = "mixed";
    public int Publishers { get; init; } = 8;
    public int Window { get; init; } = 32;

    /// <summary>fanout: messages per second at a fixed rate (open loop, for latency at light load); 0 = driven by the window.</summary>
    public int FanoutRate { get; init; }

    /// <summary>notify: messages per second at a fixed rate for the duration (open loop); 0 = --messages as fast as the API answers.</summary>
    public int NotifyRate { get; init; }
    /// <summary>direct: whether the fixed-rate phase runs again with quotas set on the tenant (AppMsg).</summary>
    public bool Quota { get; init; }

    /// <summary>Whether AppMsg's edge runs without metrics export.</summary>
    public bool NoMetrics { get; init; }

    /// <summary>Whether AppMsg's transports are run over TLS as well, beside the plain ones.</summary>
    public bool Tls { get; init; }

    public IReadOnlyList<string> Systems { get; init; } = ["appmsg", "nats", "signalr", "mosquitto"];
    public IReadOnlyList<string> AppMsgPublishers { get; init; } = ["http", "orleans", "im"];
    public int SetupConcurrency { get; init; } = 64;
    public int TimeoutSeconds { get; init; } = 1800;
    public string? OutDirectory { get; init; }
    public Uri? Target { get; init; }
    public string? AdminKey { get; init; }
    public string? ConnectionString { get; init; }
    public string? ClusterId { get; init; }
    public int? EdgePid { get; init; }

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    /// <summary>The options as given, for the report.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <exception cref="ArgumentException">Unknown scenario or option, or a bad value.</exception>
    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            throw new ArgumentException("");
        }

        var scenario = args[0];
        if (scenario is not ("fanout" or "direct" or "connect" or "replay" or "faults" or "notify" or "media" or "all"))
        {
            throw new ArgumentException($"unknown scenario '{scenario}'");
        }

        var options = new BenchOptions { Scenario = scenario, Arguments = args };
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min, int max)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
            }

            IReadOnlyList<string> List(params string[] allowed)
            {
                var items = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToArray();
                var bad = items.Where(s => !allowed.Contains(s)).ToArray();
                return bad.Length == 0 && items.Length > 0 ? items : throw new ArgumentException($"{name}: choose from {string.Join(", ", allowed)}");
            }

            IReadOnlyList<int> IntList()
            {
                var text = Value();
                var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var values = items.Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : -1).ToArray();
                return values.Length > 0 && values.All(v => v > 0) ? values : throw new ArgumentException($"{name} must list positive whole numbers, not '{text}'");
            }

            IReadOnlyList<Faults.FaultKind> FaultList()
            {
                var text = Value();
                if (text == "none")
                {
                    return [];
                }

                return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.ToLowerInvariant() switch
                {
                    "silo" => Faults.FaultKind.Silo,
                    "edge" => Faults.FaultKind.Edge,
                    "postgres" => Faults.FaultKind.Postgres,
                    "idle" => Faults.FaultKind.Idle,
                    _ => throw new ArgumentException($"{name}: choose from silo, edge, postgres, idle (or none), not '{f}'"),
                })];
            }

            options = name switch
            {
                "--members" => options with { Members = Int(2, 100_000) },
                "--devices" => Int(2, 100_000) is var devices ? options with { Devices = devices, FaultSuite = options.FaultSuite with { Devices = devices } } : options,
                "--rate" => Int(1, 1_000_000) is var rate ? options with { Rate = rate, FaultSuite = options.FaultSuite with { Rate = rate } } : options,
                "--no-ramp" => options with { Ramp = false },
                "--ramp-rates" => options with { RampRates = IntList() },
                "--step" => options with { StepSeconds = Int(2, 600) },
                "--connections" => options with { Connections = Int(1, 1_000_000) },
                "--users" => options with { Users = Int(1, 100_000) },
                "--messages" => options with { Messages = Int(1, 100_000) },
                "--duration" => options with { DurationSeconds = Int(1, 3600) },
                "--transport" => options with { Transport = List("tcp", "ws", "wsjson", "mixed", "each")[0] },
                "--publishers" => options with { Publishers = Int(1, 1024) },
                "--window" => options with { Window = Int(1, 1_000_000) },
                "--fanout-rate" => options with { FanoutRate = Int(1, 1_000_000) },
                "--notify-rate" => options with { NotifyRate = Int(1, 100_000) },
                "--tls" => options with { Tls = true },
                "--no-metrics" => options with { NoMetrics = true },
                "--systems" => options with { Systems = List("appmsg", "nats", "signalr", "mosquitto") },
                "--appmsg-publishers" => options with { AppMsgPublishers = List("http", "orleans", "im", "http-app", "http-quota") },
                "--quota" => options with { Quota = true },
                "--concurrency" => Int(1, 10_000) is var concurrency
                    ? options with { SetupConcurrency = concurrency, FaultSuite = options.FaultSuite with { SetupConcurrency = concurrency } } : options,
                "--faults" => options with { FaultSuite = options.FaultSuite with { Faults = FaultList() } },
                "--quns" => options with { FaultSuite = options.FaultSuite with { Quns = Int(1, 1000) } },
                "--steady" => options with { FaultSuite = options.FaultSuite with { SteadySeconds = Int(1, 3600) } },
                "--down" => options with { FaultSuite = options.FaultSuite with { DownSeconds = Int(0, 600) } },
                "--idle" => options with { FaultSuite = options.FaultSuite with { IdleSeconds = Int(1, 3600) } },
                "--collection-age" => options with { FaultSuite = options.FaultSuite with { GrainCollectionAgeSeconds = Int(1, 86_400) } },
                "--bound" => options with { FaultSuite = options.FaultSuite with { BoundSeconds = Int(0, 3600) } },
                "--live-deadline" => options with { FaultSuite = options.FaultSuite with { LiveDeadlineSeconds = Int(1, 600) } },
                "--timeout" => options with { TimeoutSeconds = Int(10, 86_400) },
                "--out" => options with { OutDirectory = Value() },
                "--target" => options with { Target = Uri.TryCreate(Value(), UriKind.Absolute, out var uri) ? uri : throw new ArgumentException("--target must be a URL such as http://127.0.0.1:8080") },
                "--admin-key" => options with { AdminKey = Value() },
                "--connection-string" => options with { ConnectionString = Value() },
                "--cluster-id" => options with { ClusterId = Value() },
                "--edge-pid" => options with { EdgePid = Int(1, int.MaxValue) },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }

        return options;
    }
}
