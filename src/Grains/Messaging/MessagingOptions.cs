namespace AppMsg.Grains.Messaging;

/// <summary>Message limits, configurable per deployment.</summary>
public sealed class MessagingOptions
{
    /// <summary>The TTL of a message that names none.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The longest TTL a sender may ask for.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The largest content (UTF-8 JSON bytes).</summary>
    public int MaxContentBytes { get; set; } = 32 * 1024;
}
