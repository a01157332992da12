namespace AppMsg.Bench.Systems;

/// <summary>A backend that publishes (AppMsg: the HTTP API or an Orleans client; peers: a client of theirs).</summary>
public interface IBenchPublisher : IAsyncDisposable
{
    /// <summary>Publishes to a group; returns when the system accepted it (AppMsg: stored), throws when it refused.</summary>
    Task PublishAsync(string group, string payload, CancellationToken cancellationToken);

    /// <summary>The same payload to each user's own address (offline storage for replay).</summary>
    Task PublishToUsersAsync(IReadOnlyList<BenchUser> users, string payload, CancellationToken cancellationToken);
}
