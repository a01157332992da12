using AppMsg.Bench.Infrastructure;

namespace AppMsg.Bench.Systems;

/// <summary>A system under test: AppMsg or a peer, started by the tool (or, for AppMsg, already running).</summary>
public interface IBenchSystem : IAsyncDisposable
{
    /// <summary>The name in the tables.</summary>
    string Name { get; }

    /// <summary>Whether it is AppMsg (the others are peers).</summary>
    bool IsAppMsg { get; }

    /// <summary>The publisher kinds it offers (AppMsg: http, orleans; peers: one).</summary>
    IReadOnlyList<string> PublisherKinds { get; }

    /// <summary>The transports its devices can use.</summary>
    IReadOnlyList<string> Transports { get; }

    /// <summary>Whether it keeps messages for offline users (replay).</summary>
    bool StoresOffline { get; }

    /// <summary>The process that holds the device connections (edge, hub, broker), for memory per connection; null when not known.</summary>
    int? ConnectionProcessId { get; }

    /// <summary>The process that holds cluster state about connected devices (AppMsg: the silo); null when none or not known.</summary>
    int? ClusterProcessId => null;

    /// <summary>CPU sources of its processes, for the tables.</summary>
    IEnumerable<(string Name, Func<double> Seconds)> CpuSources { get; }

    Task StartAsync(CancellationToken cancellationToken);

    Task<BenchUser[]> CreateUsersAsync(int count, CancellationToken cancellationToken);

    Task<string> CreateGroupAsync(IReadOnlyList<BenchUser> members, CancellationToken cancellationToken);

    Task<IBenchConnection> ConnectAsync(BenchUser user, int receiver, ConnectOptions options, MessageHandler onMessage, CancellationToken cancellationToken);

    Task<IBenchPublisher> CreatePublisherAsync(string kind, CancellationToken cancellationToken);

    /// <summary>Makes the users known as offline receivers before messages are stored for them (MQTT: a persistent session).</summary>
    Task PrepareOfflineAsync(IReadOnlyList<BenchUser> users, CancellationToken cancellationToken);
}
