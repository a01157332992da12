using AppMsg.Backends;

namespace AppMsg.Grains.Backends;

/// <summary>A live backend subscription, in memory (backends renew it).</summary>
internal sealed class UpstreamSubscriber(IBackendObserver observer, BackendSubscription options, string group, DateTimeOffset now)
{
    public IBackendObserver Observer { get; set; } = observer;

    public BackendSubscription Options { get; set; } = options;

    public string Group { get; set; } = group;

    public DateTimeOffset RenewedAt { get; set; } = now;

    /// <summary>Set when a message to it timed out; cleared when it acknowledges or subscribes anew. Others are preferred meanwhile.</summary>
    public bool Stalled { get; set; }

    public string Name => Options.Name;

    public TimeSpan AckTimeout => TimeSpan.FromSeconds(Options.AckTimeoutSeconds);
}
