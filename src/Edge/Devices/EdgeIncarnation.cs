namespace AppMsg.Edge.Devices;

/// <summary>This run of the edge process: new at every start, so the cluster tells a restarted edge's sessions from its earlier run's.</summary>
public sealed class EdgeIncarnation
{
    private readonly TaskCompletionSource known = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Value { get; } = Ids.New();

    /// <summary>
    /// Completes once the edge registry has this run (the first heartbeat went through). Sessions are attached only after
    /// it: until then the cluster still holds the earlier run of this edge id, and would take a new session for one of it.
    /// </summary>
    public Task Known => known.Task;

    /// <summary>Called when a heartbeat with this run reached the registry.</summary>
    public void MarkKnown() => known.TrySetResult();
}
