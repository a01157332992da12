namespace AppMsg.Grains.Backends;

/// <summary>An item sent to a subscriber and not yet acknowledged.</summary>
internal sealed record InFlight<T>(T Item, string Subscriber, DateTimeOffset SentAt);
