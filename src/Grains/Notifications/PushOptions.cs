namespace AppMsg.Grains.Notifications;

/// <summary>Offline notification settings of a silo.</summary>
public sealed class PushOptions
{
    /// <summary>A PEM file of extra CA certificates trusted for provider endpoints (<c>APPMSG_PUSH_TRUST_PEM</c>).</summary>
    public string? TrustPemPath { get; set; }

    /// <summary>How long a live terminal has to acknowledge a message before its device is notified anyway (<c>APPMSG_PUSH_ACK_DELAY_SECONDS</c>).</summary>
    public TimeSpan AckDelay { get; set; } = TimeSpan.FromSeconds(10);
}
