namespace AppMsg.Grains.Backends;

/// <summary>The persisted part of an app's upstream: the acknowledged cursor of each consumer group.</summary>
[GenerateSerializer]
public sealed class AppUpstreamState
{
    [Id(0)] public Dictionary<string, long> Cursors { get; set; } = new(StringComparer.Ordinal);
}
