using System.Globalization;
using AppMsg.Bench.Infrastructure;

namespace AppMsg.Bench.Faults;

/// <summary>
/// The system under test as separate processes: a private PostgreSQL, two silos and two edges, all of one cluster
/// (same connection string, cluster id and admin key), each on its own fixed ports so it can be killed and restarted.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(120);
    private readonly ClusterNode[] silos;
    private readonly ClusterNode[] edges;
    private readonly int[] gatewayPorts;
    private readonly bool[] edgeDown;

    private FaultCluster(PrivatePostgres postgres, string adminKey, ClusterNode[] silos, int[] gatewayPorts, ClusterNode[] edges, Uri[] edgeHttp, string[] edgeTcp)
    {
        Postgres = postgres;
        AdminKey = adminKey;
        this.silos = silos;
        this.gatewayPorts = gatewayPorts;
        this.edges = edges;
        EdgeHttp = edgeHttp;
        EdgeTcp = edgeTcp;
        edgeDown = new bool[edges.Length];
    }

    public PrivatePostgres Postgres { get; }

    public string AdminKey { get; }

    /// <summary>Each edge's HTTP API base address.</summary>
    public IReadOnlyList<Uri> EdgeHttp { get; }

    /// <summary>Each edge's binary protocol endpoint, <c>host:port</c>.</summary>
    public IReadOnlyList<string> EdgeTcp { get; }

    public int SiloCount => silos.Length;

    public int EdgeCount => edges.Length;

    /// <summary>Whether the suite took edge <paramref name="index"/> down (a load balancer's health check would know).</summary>
    public bool IsEdgeDown(int index) => Volatile.Read(ref edgeDown[index]);

    public static async Task<FaultCluster> StartAsync(FaultSuiteOptions options, string logDirectory, CancellationToken cancellationToken)
    {
        var siloDll = RepoLayout.Program("src/Silo", "AppMsg.Silo", "AppMsg.Silo");
        var edgeDll = RepoLayout.Program("src/Edge", "AppMsg.Edge", "AppMsg.Edge");
        var postgres = await PrivatePostgres.StartAsync(cancellationToken);
        var adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings__AppMsg"] = postgres.ConnectionString("appmsg"),
            ["APPMSG_CLUSTER_ID"] = $"faults-{Guid.NewGuid().ToString("N")[..8]}",
            ["APPMSG_ADMIN_KEY"] = adminKey,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__AppMsg"] = "Warning",
        };
        var silos = new ClusterNode[2];
        var gatewayPorts = new int[silos.Length];
        for (var i = 0; i < silos.Length; i++)
        {
            gatewayPorts[i] = FreePorts.Next();
            silos[i] = new ClusterNode($"silo-{i + 1}", siloDll, new Dictionary<string, string?>(common)
            {
                ["APPMSG_SILO_PORT"] = Text(FreePorts.Next()),
                ["APPMSG_GATEWAY_PORT"] = Text(gatewayPorts[i]),
                ["APPMSG_METRICS_PORT"] = Text(FreePorts.Next()),
                ["APPMSG_SILO_NAME"] = $"faults-silo-{i + 1}",
                ["APPMSG_GRAIN_COLLECTION_AGE_SECONDS"] = Text(options.GrainCollectionAgeSeconds),
                // Logins are set-up here, not what is measured.
                ["APPMSG_PASSWORD_ITERATIONS"] = "1000",
            }, logDirectory);
        }

        var edges = new ClusterNode[2];
        var edgeHttp = new Uri[edges.Length];
        var edgeTcp = new string[edges.Length];
        for (var i = 0; i < edges.Length; i++)
        {
            var httpPort = FreePorts.Next();
            var tcpPort = FreePorts.Next();
            edgeHttp[i] = new Uri($"http://127.0.0.1:{httpPort}");
            edgeTcp[i] = $"127.0.0.1:{tcpPort}";
            edges[i] = new ClusterNode($"edge-{i + 1}", edgeDll, new Dictionary<string, string?>(common)
            {
                ["APPMSG_HTTP_PORT"] = Text(httpPort),
                ["APPMSG_TCP_PORT"] = Text(tcpPort),
                ["APPMSG_EDGE_ID"] = $"faults-edge-{i + 1}",
            }, logDirectory);
        }

        var cluster = new FaultCluster(postgres, adminKey, silos, gatewayPorts, edges, edgeHttp, edgeTcp);
        try
        {
            // All at once: silos started together migrate once (an advisory lock), and edges wait for a gateway.
            await Task.WhenAll(Enumerable.Range(0, silos.Length).Select(i => cluster.StartSiloAsync(i, cancellationToken))
                .Concat(Enumerable.Range(0, edges.Length).Select(i => cluster.StartEdgeAsync(i, cancellationToken))));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public Task KillSiloAsync(int index) => silos[index].KillAsync();

    public async Task StartSiloAsync(int index, CancellationToken cancellationToken)
    {
        var silo = silos[index];
        silo.Start();
        if (!await FreePorts.WaitListeningAsync(gatewayPorts[index], () => silo.IsRunning, StartLimit, cancellationToken))
        {
            throw new InvalidOperationException($"{silo.Name} did not open its gateway port (exit code {silo.Process?.ExitCode}): {silo.Process?.Tail(5)}");
        }
    }

    public async Task KillEdgeAsync(int index)
    {
        Volatile.Write(ref edgeDown[index], true);
        await edges[index].KillAsync();
    }

    public async Task StartEdgeAsync(int index, CancellationToken cancellationToken)
    {
        edges[index].Start();
        await WaitEdgeReadyAsync(index, cancellationToken);
        Volatile.Write(ref edgeDown[index], false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in edges.Concat(silos))
        {
            await node.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }

    private Task WaitEdgeReadyAsync(int index, CancellationToken cancellationToken)
    {
        var edge = edges[index];
        return Readiness.WaitAsync(EdgeHttp[index], StartLimit, TimeSpan.FromMilliseconds(250),
            () => edge.IsRunning ? null : $"{edge.Name} exited during start-up (code {edge.Process?.ExitCode}): {edge.Process?.Tail(5)}",
            () => $"{edge.Name} ({edge.Process?.Tail(5)})", cancellationToken);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
