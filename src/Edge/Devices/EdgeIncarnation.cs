namespace AppMsg.Edge.Devices;

/// <summary>This run of the edge process: new at every start, so the cluster tells a restarted edge's sessions from its earlier run's.</summary>
public sealed class EdgeIncarnation
{
    public string Value { get; } = Ids.New();
}
