using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AppMsg.Bench.Infrastructure;

namespace AppMsg.Bench.Systems;

/// <summary>
/// AppMsg under test: a private PostgreSQL, one silo process and one edge process started by the tool (or a
/// running system given by --target). Users, quns and tokens come from the HTTP API as an operator.
/// </summary>
public sealed class AppMsgSystem(BenchOptions options, string logDirectory) : IBenchSystem
{
    private const string Password = "bench-password";
    private readonly string tag = Guid.NewGuid().ToString("N")[..8];
    private IReadOnlyList<BenchUser>? groupMembers;
    private int userSets;
    private PrivatePostgres? postgres;
    private ChildProcess? silo;
    private ChildProcess? edge;
    private readonly List<ChildProcess> otherEdges = [];
    private Dictionary<string, string?> common = [];
    private HttpClient? http;
    private string adminKey = "";
    private string tenantId = "";
    private string? connectionString;
    private string clusterId = "appmsg";
    private BenchCertificate? certificate;

    public string Name => "AppMsg";

    public bool IsAppMsg => true;

    public IReadOnlyList<string> PublisherKinds => options.AppMsgPublishers;

    public IReadOnlyList<string> Transports => options.Tls ? ["tcp", "ws", "wsjson", "tls", "wss"] : ["tcp", "ws", "wsjson"];

    public bool StoresOffline => true;

    public int? ConnectionProcessId => edge?.Pid ?? options.EdgePid;

    public int? ClusterProcessId => silo?.Pid;

    /// <summary>The HTTP API as the operator (after <see cref="StartAsync"/>).</summary>
    public HttpClient Api => http ?? throw new InvalidOperationException("not started");

    /// <summary>The tenant the benchmark's users are created in.</summary>
    public string TenantId => tenantId;

    /// <summary>The PostgreSQL version (of the private server), for the report.</summary>
    public string? PostgresVersion => postgres?.Version;

    public IEnumerable<(string Name, Func<double> Seconds)> CpuSources
    {
        get
        {
            if (edge is { } e)
            {
                yield return ("edge", () => ProcStats.CpuSeconds(e.Pid));
            }
            else if (options.EdgePid is { } pid)
            {
                yield return ("edge", () => ProcStats.CpuSeconds(pid));
            }

            foreach (var other in otherEdges)
            {
                yield return (other.Name, () => ProcStats.CpuSeconds(other.Pid));
            }

            if (silo is { } s)
            {
                yield return ("silo", () => ProcStats.CpuSeconds(s.Pid));
            }

            if (postgres?.PostmasterPid is { } pg)
            {
                yield return ("postgres", () => ProcStats.TreeCpuSeconds(pg));
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Uri baseAddress;
        if (options.Target is { } target)
        {
            baseAddress = target;
            adminKey = options.AdminKey ?? Environment.GetEnvironmentVariable("APPMSG_ADMIN_KEY")
                ?? throw new InvalidOperationException("--target needs the admin key: --admin-key KEY or APPMSG_ADMIN_KEY");
            connectionString = options.ConnectionString ?? Environment.GetEnvironmentVariable("ConnectionStrings__AppMsg");
            clusterId = options.ClusterId ?? Environment.GetEnvironmentVariable("APPMSG_CLUSTER_ID") ?? "appmsg";
        }
        else
        {
            baseAddress = await StartProcessesAsync(cancellationToken);
        }

        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var tenant = await PostAsync("/v1/tenants", JsonSerializer.Serialize(new { name = $"bench-{tag}" }), cancellationToken);
        tenantId = tenant.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<BenchUser[]> CreateUsersAsync(int count, CancellationToken cancellationToken)
    {
        // A scenario run per transport (--transport each) creates its users again: new names each time.
        var set = ++userSets;
        var users = new BenchUser[count];
        await SetupProgress.ForEachAsync("AppMsg: users and logins", count, options.SetupConcurrency, async (i, token) =>
        {
            var username = UserName(set, i);
            using var created = await PostAsync("/v1/users", JsonSerializer.Serialize(new { tenantId, username, password = Password }), token);
            using var login = await PostAsync("/v1/auth/login", JsonSerializer.Serialize(new { tenantId, username, password = Password, terminalType = 1 }), token);
            var root = login.RootElement;
            var edge = root.GetProperty("edge");
            users[i] = new BenchUser(i, root.GetProperty("userId").GetString()!, root.GetProperty("token").GetString()!,
                edge.GetProperty("tcp").GetString()!, edge.GetProperty("ws").GetString()!,
                edge.TryGetProperty("tcpTls", out var tls) ? tls.GetString() : null, edge.TryGetProperty("wss", out var wss) ? wss.GetString() : null);
        }, cancellationToken);
        return users;
    }

    public async Task<string> CreateGroupAsync(IReadOnlyList<BenchUser> members, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            tenantId,
            name = "bench",
            ownerId = members[0].Id,
            members = members.Skip(1).Select(m => m.Id).ToArray(),
            maxMembers = Math.Max(members.Count + 10, 100),
        });
        using var qun = await PostAsync("/v1/quns", body, cancellationToken);
        groupMembers = members;
        return qun.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<IBenchConnection> ConnectAsync(BenchUser user, int receiver, ConnectOptions connect, MessageHandler onMessage, CancellationToken cancellationToken) =>
        await AppMsgConnection.ConnectAsync(user, receiver, connect.Transport, certificate?.Sha256, onMessage, cancellationToken);

    public async Task<IBenchPublisher> CreatePublisherAsync(string kind, CancellationToken cancellationToken)
    {
        // Only http-quota runs with the tenant's quotas set (it sets them): a publisher after it in the same run, an im
        // publisher's member device included, measures without them whatever the order of --appmsg-publishers.
        if (kind != "http-quota")
        {
            await SetTenantQuotasAsync(false, cancellationToken);
        }

        return await CreatePublisherOfKindAsync(kind, cancellationToken);
    }

    private async Task<IBenchPublisher> CreatePublisherOfKindAsync(string kind, CancellationToken cancellationToken) => kind switch
    {
        "http" => new AppMsgHttpPublisher(http!),
        "http-app" => new AppMsgHttpPublisher(await AppClientAsync(quotas: false, cancellationToken), disposeClient: true),
        "http-quota" => new AppMsgHttpPublisher(await AppClientAsync(quotas: true, cancellationToken), disposeClient: true),
        "orleans" => await AppMsgOrleansPublisher.ConnectAsync(
            connectionString ?? throw new InvalidOperationException("the Orleans publisher needs the database: --connection-string or ConnectionStrings__AppMsg"),
            clusterId, cancellationToken),
        "im" => await ImPublisherAsync(cancellationToken),
        _ => throw new ArgumentException($"unknown AppMsg publisher '{kind}' (http, http-app, http-quota, orleans, im)"),
    };

    /// <summary>
    /// Limits far above what the bench can reach: every check runs (blocks taken from the quota grains, the rate bucket,
    /// recipients and TTL per send) and none refuses. Connections stay unlimited: the devices are connected already.
    /// </summary>
    private static readonly object HighQuotas = new
    {
        apiCallsPerDay = 1_000_000_000L,
        messagesPerDay = 1_000_000_000L,
        messagesPerSecond = 1_000_000L,
        messagesBurst = 1_000_000L,
        recipientsPerMessage = 10_000L,
        maxTtlSeconds = 604_800L,
        connections = -1L,
        mediaBytes = 1_000_000_000L,
    };

    /// <summary>
    /// Sets quotas far above what the bench reaches on the tenant (what 1:1 IMs from users count against), or removes
    /// them: the direct scenario's --quota phase.
    /// </summary>
    public async Task SetTenantQuotasAsync(bool quotas, CancellationToken cancellationToken) =>
        await PutAsync($"/v1/tenants/{tenantId}/quotas", quotas ? HighQuotas : new { }, cancellationToken);

    /// <summary>An HTTP client with a new app's credential; with quotas, the app and the tenant get <see cref="HighQuotas"/>.</summary>
    private async Task<HttpClient> AppClientAsync(bool quotas, CancellationToken cancellationToken)
    {
        using var app = await PostAsync("/v1/apps", JsonSerializer.Serialize(new { tenantId, name = quotas ? "bench-quota" : "bench-app" }), cancellationToken);
        var appId = app.RootElement.GetProperty("id").GetString()!;
        var credential = $"{appId}:{app.RootElement.GetProperty("secret").GetString()}";
        if (quotas)
        {
            await PutAsync($"/v1/apps/{appId}/quotas", HighQuotas, cancellationToken);
            await SetTenantQuotasAsync(true, cancellationToken);
        }

        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = http!.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    private async Task PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await http!.PutAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private string UserName(int set, int index) => $"b{index}-{set}-{tag}";

    /// <summary>A second terminal (PC) of each of the first --publishers members, logged in for the IM publisher.</summary>
    private async Task<IBenchPublisher> ImPublisherAsync(CancellationToken cancellationToken)
    {
        var members = groupMembers ?? throw new InvalidOperationException("the IM publisher needs the group: create it first");
        var senders = new List<(string, string, string)>();
        foreach (var member in members.Take(options.Publishers))
        {
            using var login = await PostAsync("/v1/auth/login",
                JsonSerializer.Serialize(new { tenantId, username = UserName(userSets, member.Index), password = Password, terminalType = (int)Protocol.TerminalType.Pc }), cancellationToken);
            senders.Add((member.TcpEndpoint, member.Id, login.RootElement.GetProperty("token").GetString()!));
        }

        return await AppMsgImPublisher.ConnectAsync(senders, cancellationToken);
    }

    public Task PrepareOfflineAsync(IReadOnlyList<BenchUser> users, CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        http?.Dispose();
        foreach (var other in otherEdges)
        {
            await other.DisposeAsync();
        }

        if (edge is not null)
        {
            await edge.DisposeAsync();
        }

        if (silo is not null)
        {
            await silo.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    private async Task<Uri> StartProcessesAsync(CancellationToken cancellationToken)
    {
        var siloDll = RepoLayout.Program("src/Silo", "AppMsg.Silo", "AppMsg.Silo");
        var edgeDll = RepoLayout.Program("src/Edge", "AppMsg.Edge", "AppMsg.Edge");
        ProgressTicker.Say("AppMsg: starting PostgreSQL");
        postgres = await PrivatePostgres.StartAsync(cancellationToken);
        connectionString = postgres.ConnectionString("appmsg");
        adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        clusterId = $"bench-{tag}";
        var httpPort = FreePorts.Next();
        if (options.Tls)
        {
            certificate = BenchCertificate.Create(Path.Combine(logDirectory, "tls"));
        }

        common = new Dictionary<string, string?>
        {
            ["ConnectionStrings__AppMsg"] = connectionString,
            ["APPMSG_CLUSTER_ID"] = clusterId,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__AppMsg"] = "Warning",
        };
        ProgressTicker.Say("AppMsg: starting the silo and the edge");
        silo = ChildProcess.Start("appmsg-silo", RepoLayout.DotnetHost, [siloDll], new Dictionary<string, string?>(common)
        {
            ["APPMSG_SILO_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_GATEWAY_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_METRICS_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_SILO_NAME"] = "bench-silo",
            // Logins are set-up here, not what is measured.
            ["APPMSG_PASSWORD_ITERATIONS"] = "1000",
        }, logDirectory);
        edge = ChildProcess.Start("appmsg-edge", RepoLayout.DotnetHost, [edgeDll], new Dictionary<string, string?>(common)
        {
            ["APPMSG_HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_TCP_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_ADMIN_KEY"] = adminKey,
            ["APPMSG_EDGE_ID"] = "bench-edge",
            ["APPMSG_METRICS_EXPORT"] = options.NoMetrics ? "0" : null,
            ["APPMSG_TLS_CERT_PEM"] = certificate?.CertificatePemPath,
            ["APPMSG_TLS_KEY_PEM"] = certificate?.KeyPemPath,
            ["APPMSG_TLS_TCP_PORT"] = certificate is null ? null : FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_HTTPS_PORT"] = certificate is null ? null : FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, logDirectory);
        var baseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        await WaitReadyAsync(baseAddress, cancellationToken);
        return baseAddress;
    }

    /// <summary>
    /// Starts one more edge of the same cluster and database with <paramref name="settings"/> on top of the usual ones
    /// (the media scenario: an edge with the file store beside one with the PostgreSQL store); the operator's API on it.
    /// </summary>
    public async Task<HttpClient> StartAnotherEdgeAsync(string name, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        if (silo is null)
        {
            throw new InvalidOperationException("another edge needs the silo this tool started (not --target)");
        }

        var edgeDll = RepoLayout.Program("src/Edge", "AppMsg.Edge", "AppMsg.Edge");
        var httpPort = FreePorts.Next();
        var environment = new Dictionary<string, string?>(common)
        {
            ["APPMSG_HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_TCP_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["APPMSG_ADMIN_KEY"] = adminKey,
            ["APPMSG_EDGE_ID"] = name,
            ["APPMSG_METRICS_EXPORT"] = options.NoMetrics ? "0" : null,
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var other = ChildProcess.Start(name, RepoLayout.DotnetHost, [edgeDll], environment, logDirectory);
        otherEdges.Add(other);
        var baseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        await Readiness.WaitAsync(baseAddress, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500),
            () => other.HasExited ? $"the AppMsg edge {name} exited during start-up (code {other.ExitCode}): {other.Tail(5)}" : null,
            () => $"AppMsg (edge {name} log: {other.Tail(5)})", cancellationToken);
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return client;
    }

    private Task WaitReadyAsync(Uri baseAddress, CancellationToken cancellationToken) =>
        Readiness.WaitAsync(baseAddress, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500),
            () => new[] { silo!, edge! }.FirstOrDefault(p => p.HasExited) is { } gone
                ? $"the AppMsg {gone.Name} exited during start-up (code {gone.ExitCode}): {gone.Tail(5)}"
                : null,
            () => $"AppMsg (edge log: {edge!.Tail(5)})", cancellationToken);

    private async Task<JsonDocument> PostAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http!.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text);
    }
}
