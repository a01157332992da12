using System.Text;
using AppMsg.Bench.Infrastructure;
using NATS.Client.Core;

namespace AppMsg.Bench.Systems;

/// <summary>
/// The fast-broker peer: Debian's nats-server (installed with apt-get when missing and running as root), core NATS over
/// TCP, one connection per device (NATS.Client.Core). A user is a subject "u.&lt;id&gt;", the group "g.bench". Core NATS
/// stores nothing and acknowledges nothing: a publish is done once written to the publisher's socket, a slow
/// subscriber is cut off by the server. It is the bound on raw fan-out, not a like-for-like durable service.
/// </summary>
public sealed class NatsSystem(string logDirectory) : IBenchSystem
{
    private const string Group = "g.bench";
    private ChildProcess? server;
    private int port;

    public string Name => "nats-server";

    public bool IsAppMsg => false;

    public IReadOnlyList<string> PublisherKinds => ["nats"];

    public IReadOnlyList<string> Transports => ["tcp"];

    public bool StoresOffline => false;

    public int? ConnectionProcessId => server?.Pid;

    public IEnumerable<(string Name, Func<double> Seconds)> CpuSources
    {
        get
        {
            if (server is { } s)
            {
                yield return ("nats-server", () => ProcStats.CpuSeconds(s.Pid));
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var binary = await DebianPackage.EnsureAsync("nats-server", ["/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"], cancellationToken);
        port = FreePorts.Next();
        System.IO.Directory.CreateDirectory(logDirectory);
        server = ChildProcess.Start("nats-server", binary, ["-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string?>(), logDirectory);
        if (!await FreePorts.WaitListeningAsync(port, () => !server.HasExited, TimeSpan.FromSeconds(30), cancellationToken))
        {
            throw new InvalidOperationException($"nats-server did not start: {server.Tail(5)}");
        }
    }

    public Task<BenchUser[]> CreateUsersAsync(int count, CancellationToken cancellationToken) =>
        Task.FromResult(Enumerable.Range(0, count).Select(i => new BenchUser(i, $"u{i}")).ToArray());

    public Task<string> CreateGroupAsync(IReadOnlyList<BenchUser> members, CancellationToken cancellationToken) => Task.FromResult(Group);

    public async Task<IBenchConnection> ConnectAsync(BenchUser user, int receiver, ConnectOptions options, MessageHandler onMessage, CancellationToken cancellationToken)
    {
        var connection = Connect($"bench-{user.Id}");
        try
        {
            await connection.ConnectAsync();
            var own = await connection.SubscribeCoreAsync<byte[]>("u." + user.Id, cancellationToken: cancellationToken);
            var group = options.Group is null ? null : await connection.SubscribeCoreAsync<byte[]>(Group, cancellationToken: cancellationToken);
            await connection.PingAsync(cancellationToken);
            return new NatsDevice(connection, own, group, receiver, onMessage);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IBenchPublisher> CreatePublisherAsync(string kind, CancellationToken cancellationToken)
    {
        var connection = Connect("bench-publisher");
        await connection.ConnectAsync();
        return new NatsPublisher(connection);
    }

    public Task PrepareOfflineAsync(IReadOnlyList<BenchUser> users, CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private NatsConnection Connect(string name) => new(NatsOpts.Default with
    {
        Url = $"nats://127.0.0.1:{port}",
        Name = name,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        SubPendingChannelCapacity = 4_096,
    });

    private sealed class NatsDevice : IBenchConnection
    {
        private readonly NatsConnection connection;
        private readonly INatsSub<byte[]> own;
        private readonly INatsSub<byte[]>? group;
        private readonly Task reading;
        private int disconnects;

        public NatsDevice(NatsConnection connection, INatsSub<byte[]> own, INatsSub<byte[]>? group, int receiver, MessageHandler onMessage)
        {
            this.connection = connection;
            this.own = own;
            this.group = group;
            connection.ConnectionDisconnected += (_, _) =>
            {
                Interlocked.Increment(ref disconnects);
                return ValueTask.CompletedTask;
            };
            reading = Task.WhenAll(ReadAsync(own, receiver, onMessage), group is null ? Task.CompletedTask : ReadAsync(group, receiver, onMessage));
        }

        public int Disconnects => Volatile.Read(ref disconnects);

        public async Task<bool> SendAsync(BenchUser to, string payload, CancellationToken cancellationToken)
        {
            try
            {
                await connection.PublishAsync("u." + to.Id, Encoding.UTF8.GetBytes(payload), cancellationToken: cancellationToken);
                return true;
            }
            catch (NatsException)
            {
                return false;
            }
        }

        public Task<bool> RecoverAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public async ValueTask DisposeAsync()
        {
            await own.DisposeAsync();
            if (group is not null)
            {
                await group.DisposeAsync();
            }

            await connection.DisposeAsync();
            await reading;
        }

        private static async Task ReadAsync(INatsSub<byte[]> subscription, int receiver, MessageHandler onMessage)
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync())
            {
                if (message.Data is { } data)
                {
                    onMessage(receiver, data);
                }
            }
        }
    }

    private sealed class NatsPublisher(NatsConnection connection) : IBenchPublisher
    {
        public Task PublishAsync(string group, string payload, CancellationToken cancellationToken) =>
            connection.PublishAsync(group, Encoding.UTF8.GetBytes(payload), cancellationToken: cancellationToken).AsTask();

        public Task PublishToUsersAsync(IReadOnlyList<BenchUser> users, string payload, CancellationToken cancellationToken) =>
            Task.WhenAll(users.Select(u => connection.PublishAsync("u." + u.Id, Encoding.UTF8.GetBytes(payload), cancellationToken: cancellationToken).AsTask()));

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
