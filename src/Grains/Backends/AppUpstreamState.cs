namespace AppMsg.Grains.Backends;

/// <summary>The persisted part of an app's upstream: the acknowledged cursor of each consumer group.</summary>
[GenerateSerializer]
public sealed class AppUpstreamState
{
    /// <summary>Per group of the upstream timeline: every message up to this seq is acknowledged.</summary>
    [Id(0)] public Dictionary<string, long> Cursors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per session-events group: every event of the tenant's session-events timeline up to this seq is acknowledged.</summary>
    [Id(1)] public Dictionary<string, long> EventCursors { get; set; } = new(StringComparer.Ordinal);
}
