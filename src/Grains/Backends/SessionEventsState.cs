namespace AppMsg.Grains.Backends;

/// <summary>The apps of a tenant that receive its session events.</summary>
[GenerateSerializer]
public sealed class SessionEventsState
{
    [Id(0)] public HashSet<string> Apps { get; set; } = new(StringComparer.Ordinal);
}
