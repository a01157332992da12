using AppMsg.Backends;

namespace AppMsg.Grains.Backends;

/// <summary>A live backend subscription, in memory (backends renew it).</summary>
internal sealed class UpstreamSubscriber(IBackendObserver observer, BackendSubscription options, string group, DateTimeOffset now)
{
    public IBackendObserver Observer { get; set; } = observer;

    public BackendSubscription Options { get; set; } = options;

    /// <summary>Its consumer group of the upstream timeline.</summary>
    public string Group { get; set; } = group;

    /// <summary>Its consumer group of the session events (the same key as <see cref="Group"/>), or null when it did not ask for them.</summary>
    public string? EventGroup => Options.SessionEvents ? Group : null;

    public DateTimeOffset RenewedAt { get; set; } = now;

    public string Name => Options.Name;

    public TimeSpan AckTimeout => TimeSpan.FromSeconds(Options.AckTimeoutSeconds);
}
