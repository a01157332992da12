namespace AppMsg.Backends;

/// <summary>How an app's webhook is called (the URL itself is the app's <c>webhookUrl</c>).</summary>
/// <param name="MaxAttempts">Attempts per item before it becomes a dead letter (1 to 20; default 8).</param>
/// <param name="InitialBackoffMs">The wait before the second attempt; it doubles each time, up to 5 minutes (100 to 60,000; default 1,000).</param>
/// <param name="TimeoutMs">How long one POST may take before it counts as failed (500 to 30,000; default 10,000).</param>
/// <param name="SessionEvents">Also POST the online/offline events of the tenant's sessions.</param>
[GenerateSerializer, Immutable]
public sealed record WebhookSettings(
    [property: Id(0)] int MaxAttempts = 8,
    [property: Id(1)] int InitialBackoffMs = 1_000,
    [property: Id(2)] int TimeoutMs = 10_000,
    [property: Id(3)] bool SessionEvents = false);
