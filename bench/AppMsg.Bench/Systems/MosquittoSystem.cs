using System.Buffers;
using AppMsg.Bench.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace AppMsg.Bench.Systems;

/// <summary>
/// The broker peer: Debian's mosquitto (installed with apt-get when missing and running as root), MQTT 3.1.1
/// over TCP, QoS 1 everywhere (every delivery acknowledged, as AppMsg's are). A user is a topic "u/&lt;id&gt;";
/// offline messages are kept for persistent sessions, in memory only (persistence off).
/// </summary>
public sealed class MosquittoSystem(string logDirectory) : IBenchSystem
{
    private readonly MqttClientFactory factory = new();
    private ChildProcess? broker;
    private int port;

    public string Name => "mosquitto";

    public bool IsAppMsg => false;

    public IReadOnlyList<string> PublisherKinds => ["mqtt"];

    public IReadOnlyList<string> Transports => ["tcp"];

    public bool StoresOffline => true;

    public int? ConnectionProcessId => broker?.Pid;

    public IEnumerable<(string Name, Func<double> Seconds)> CpuSources
    {
        get
        {
            if (broker is { } b)
            {
                yield return ("mosquitto", () => ProcStats.CpuSeconds(b.Pid));
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var binary = await DebianPackage.EnsureAsync("mosquitto", ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"], cancellationToken);
        port = FreePorts.Next();
        System.IO.Directory.CreateDirectory(logDirectory);
        var config = Path.Combine(logDirectory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            max_queued_messages 0
            max_inflight_messages 0
            set_tcp_nodelay true
            log_dest stderr
            log_type error
            log_type warning
            user root

            """, cancellationToken);
        broker = ChildProcess.Start("mosquitto", binary, ["-c", config], new Dictionary<string, string?>(), logDirectory);
        if (!await FreePorts.WaitListeningAsync(port, () => !broker.HasExited, TimeSpan.FromSeconds(30), cancellationToken))
        {
            throw new InvalidOperationException($"mosquitto did not start: {broker.Tail(5)}");
        }
    }

    public Task<BenchUser[]> CreateUsersAsync(int count, CancellationToken cancellationToken) =>
        Task.FromResult(Enumerable.Range(0, count).Select(i => new BenchUser(i, $"u{i}")).ToArray());

    public Task<string> CreateGroupAsync(IReadOnlyList<BenchUser> members, CancellationToken cancellationToken) => Task.FromResult("g/bench");

    public async Task<IBenchConnection> ConnectAsync(BenchUser user, int receiver, ConnectOptions options, MessageHandler onMessage, CancellationToken cancellationToken)
    {
        var client = factory.CreateMqttClient();
        var device = new MqttConnection(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload;
            if (payload.IsSingleSegment)
            {
                onMessage(receiver, payload.FirstSpan);
            }
            else
            {
                onMessage(receiver, payload.ToArray());
            }

            return Task.CompletedTask;
        };
        try
        {
            await client.ConnectAsync(Options("bench-" + user.Id, cleanSession: !options.Persistent), cancellationToken);
            var subscribe = factory.CreateSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic("u/" + user.Id).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
            if (options.Group is { } group)
            {
                subscribe = subscribe.WithTopicFilter(f => f.WithTopic(group).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
            }

            await client.SubscribeAsync(subscribe.Build(), cancellationToken);
            device.Connected();
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
        var client = factory.CreateMqttClient();
        await client.ConnectAsync(Options("bench-publisher-" + Guid.NewGuid().ToString("N")[..6], cleanSession: true), cancellationToken);
        return new MqttPublisher(client);
    }

    public Task PrepareOfflineAsync(IReadOnlyList<BenchUser> users, CancellationToken cancellationToken) =>
        SetupProgress.ForEachAsync("mosquitto: persistent sessions", users.Count, 64, async (i, token) =>
        {
            await using var device = await ConnectAsync(users[i], i, new ConnectOptions("tcp", Persistent: true), (_, _) => { }, token);
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    private MqttClientOptions Options(string clientId, bool cleanSession) => factory.CreateClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", port)
        .WithClientId(clientId)
        .WithCleanSession(cleanSession)
        .WithProtocolVersion(MqttProtocolVersion.V311)
        .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
        .WithTimeout(TimeSpan.FromSeconds(30))
        .Build();

    private sealed class MqttConnection(IMqttClient client) : IBenchConnection
    {
        private int disconnects;
        private bool counting;

        public int Disconnects => Volatile.Read(ref disconnects);

        public void Connected()
        {
            Volatile.Write(ref counting, true);
            client.DisconnectedAsync += _ =>
            {
                if (Volatile.Read(ref counting))
                {
                    Interlocked.Increment(ref disconnects);
                }

                return Task.CompletedTask;
            };
        }

        public async Task<bool> SendAsync(BenchUser to, string payload, CancellationToken cancellationToken)
        {
            try
            {
                var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic("u/" + to.Id).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
                return result.IsSuccess;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                return false;
            }
        }

        public Task<bool> RecoverAsync(CancellationToken cancellationToken) => Task.FromResult(false);

        public async ValueTask DisposeAsync()
        {
            Volatile.Write(ref counting, false);
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
                }
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
            }

            client.Dispose();
        }
    }

    private sealed class MqttPublisher(IMqttClient client) : IBenchPublisher
    {
        public async Task PublishAsync(string group, string payload, CancellationToken cancellationToken)
        {
            var result = await client.PublishAsync(Message(group, payload), cancellationToken);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"mosquitto refused the publish: {result.ReasonCode}");
            }
        }

        public Task PublishToUsersAsync(IReadOnlyList<BenchUser> users, string payload, CancellationToken cancellationToken) =>
            Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
                async (user, token) => await PublishAsync("u/" + user.Id, payload, token));

        public async ValueTask DisposeAsync()
        {
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
            }

            client.Dispose();
        }

        private static MqttApplicationMessage Message(string topic, string payload) => new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
    }
}
