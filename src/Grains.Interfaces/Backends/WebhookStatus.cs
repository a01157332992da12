namespace AppMsg.Backends;

/// <summary>Where an app's webhook delivery stands.</summary>
/// <param name="Settings">How it is called.</param>
/// <param name="Delivered">Every upstream message up to this seq was delivered or dead-lettered.</param>
/// <param name="DeadLetters">How many dead letters wait.</param>
/// <param name="HasSigningSecret">Whether a signing secret exists (it is created at the first delivery or by rotation).</param>
/// <param name="EventsDelivered">Every session event of the tenant up to this seq was delivered, dead-lettered or skipped.</param>
[GenerateSerializer, Immutable]
public sealed record WebhookStatus(
    [property: Id(0)] WebhookSettings Settings,
    [property: Id(1)] long Delivered,
    [property: Id(2)] int DeadLetters,
    [property: Id(3)] bool HasSigningSecret,
    [property: Id(4)] long EventsDelivered = 0);
