using AppMsg.Backends;

namespace AppMsg.Grains.Backends;

/// <summary>The persisted part of an app's webhook.</summary>
[GenerateSerializer]
public sealed class WebhookState
{
    /// <summary>Every upstream message up to this seq was delivered or dead-lettered.</summary>
    [Id(0)] public long Delivered { get; set; }

    /// <summary>
    /// The HMAC-SHA256 key, encrypted (<see cref="Security.SecretProtector"/>: the key must be recoverable to sign,
    /// so it cannot be hashed); a value without the scheme prefix was stored in clear by an older version.
    /// </summary>
    [Id(1)] public string? SigningSecret { get; set; }

    [Id(2)] public WebhookSettings Settings { get; set; } = new();

    [Id(3)] public List<DeadLetter> DeadLetters { get; set; } = [];

    /// <summary>Every session event of the tenant's session-events timeline up to this seq was delivered, dead-lettered or skipped.</summary>
    [Id(4)] public long EventsDelivered { get; set; }
}
