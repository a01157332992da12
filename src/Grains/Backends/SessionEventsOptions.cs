namespace AppMsg.Grains.Backends;

/// <summary>How long stored session events are kept, and how many may wait for the store.</summary>
public sealed class SessionEventsOptions
{
    /// <summary>Stored events older than this are pruned; a backend away longer misses them. Default 24 hours.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Events of one tenant waiting for the store at most (the database is slow or down); beyond it the oldest is dropped with a log line.</summary>
    public int MaxPending { get; set; } = 10_000;

    /// <summary>The wait before a failed store is tried again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
