using AppMsg.Bench.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AppMsg.Bench.Systems;

/// <summary>
/// The SignalR peer: bench/peers/SignalRPeer (a minimal ASP.NET Core hub with groups) in its own process.
/// Devices are WebSocket hub connections; a user is a group "u:&lt;id&gt;"; a publisher is one more hub connection.
/// It stores nothing.
/// </summary>
public sealed class SignalRSystem(string logDirectory) : IBenchSystem
{
    private ChildProcess? server;
    private Uri hubUrl = null!;

    public string Name => "SignalR";

    public bool IsAppMsg => false;

    public IReadOnlyList<string> PublisherKinds => ["hub"];

    public IReadOnlyList<string> Transports => ["ws"];

    public bool StoresOffline => false;

    public int? ConnectionProcessId => server?.Pid;

    public IEnumerable<(string Name, Func<double> Seconds)> CpuSources
    {
        get
        {
            if (server is { } s)
            {
                yield return ("signalr", () => ProcStats.CpuSeconds(s.Pid));
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string dll;
        try
        {
            dll = RepoLayout.Program("bench/peers/SignalRPeer", "SignalRPeer", "SignalRPeer");
        }
        catch (FileNotFoundException e)
        {
            throw new PeerUnavailableException(e.Message);
        }

        var port = FreePorts.Next();
        server = ChildProcess.Start("signalr-peer", RepoLayout.DotnetHost, [dll], new Dictionary<string, string?>
        {
            ["PEER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, logDirectory);
        if (!await FreePorts.WaitListeningAsync(port, () => !server.HasExited, TimeSpan.FromSeconds(60), cancellationToken))
        {
            throw new InvalidOperationException($"the SignalR peer did not start: {server.Tail(5)}");
        }

        hubUrl = new Uri($"http://127.0.0.1:{port}/hub");
    }

    public Task<BenchUser[]> CreateUsersAsync(int count, CancellationToken cancellationToken) =>
        Task.FromResult(Enumerable.Range(0, count).Select(i => new BenchUser(i, $"u{i}")).ToArray());

    public Task<string> CreateGroupAsync(IReadOnlyList<BenchUser> members, CancellationToken cancellationToken) => Task.FromResult("g:bench");

    public async Task<IBenchConnection> ConnectAsync(BenchUser user, int receiver, ConnectOptions options, MessageHandler onMessage, CancellationToken cancellationToken)
    {
        var connection = NewConnection();
        var device = new SignalRConnection(connection);
        connection.On<string>("m", payload => onMessage(receiver, System.Text.Encoding.UTF8.GetBytes(payload)));
        try
        {
            await connection.StartAsync(cancellationToken);
            await connection.InvokeAsync("Join", "u:" + user.Id, cancellationToken);
            if (options.Group is { } group)
            {
                await connection.InvokeAsync("Join", group, cancellationToken);
            }
        }
        catch
        {
            await device.DisposeAsync();
            throw;
        }

        return device;
    }

    public async Task<IBenchPublisher> CreatePublisherAsync(string kind, CancellationToken cancellationToken)
    {
        var connection = NewConnection();
        await connection.StartAsync(cancellationToken);
        return new SignalRPublisher(connection);
    }

    public Task PrepareOfflineAsync(IReadOnlyList<BenchUser> users, CancellationToken cancellationToken) =>
        throw new NotSupportedException("SignalR keeps nothing for offline users");

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private HubConnection NewConnection() => new HubConnectionBuilder()
        .WithUrl(hubUrl, o =>
        {
            o.SkipNegotiation = true;
            o.Transports = HttpTransportType.WebSockets;
        })
        .Build();

    private sealed class SignalRConnection : IBenchConnection
    {
        private readonly HubConnection connection;
        private int disconnects;
        private bool disposing;

        public SignalRConnection(HubConnection connection)
        {
            this.connection = connection;
            connection.ServerTimeout = TimeSpan.FromMinutes(2);
            connection.Closed += _ =>
            {
                if (!Volatile.Read(ref disposing))
                {
                    Interlocked.Increment(ref disconnects);
                }

                return Task.CompletedTask;
            };
        }

        public int Disconnects => Volatile.Read(ref disconnects);

        public async Task<bool> SendAsync(BenchUser to, string payload, CancellationToken cancellationToken)
        {
            try
            {
                await connection.InvokeAsync("Publish", "u:" + to.Id, payload, cancellationToken);
                return true;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or Microsoft.AspNetCore.SignalR.HubException)
            {
                return false;
            }
        }

        public Task<bool> RecoverAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public async ValueTask DisposeAsync()
        {
            Volatile.Write(ref disposing, true);
            await connection.DisposeAsync();
        }
    }

    private sealed class SignalRPublisher(HubConnection connection) : IBenchPublisher
    {
        public Task PublishAsync(string group, string payload, CancellationToken cancellationToken) =>
            connection.InvokeAsync("Publish", group, payload, cancellationToken);

        public async Task PublishToUsersAsync(IReadOnlyList<BenchUser> users, string payload, CancellationToken cancellationToken)
        {
            foreach (var user in users)
            {
                await connection.InvokeAsync("Publish", "u:" + user.Id, payload, cancellationToken);
            }
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
