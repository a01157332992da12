namespace AppMsg.Sessions;

/// <summary>The timing of edges' liveness in the cluster (one rule for the edges, the registry and the sessions).</summary>
public static class EdgeLiveness
{
    /// <summary>How often an edge renews its registration.</summary>
    public static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(2);

    /// <summary>An edge not heard from for this long is not handed to connecting devices (it likely died).</summary>
    public static readonly TimeSpan PickableFor = TimeSpan.FromSeconds(6);

    /// <summary>An edge not heard from for this long is dead: its sessions are dropped.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);

    /// <summary>How long a grain waits for an edge to answer a question about its sessions.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);
}
