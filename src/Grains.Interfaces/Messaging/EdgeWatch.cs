namespace AppMsg.Messaging;

/// <summary>The timing of edges' registrations with qun timelines (<see cref="ITimelineGrain.AddEdgeAsync"/>).</summary>
public static class EdgeWatch
{
    /// <summary>How often an edge renews each registration.</summary>
    public static readonly TimeSpan RenewPeriod = TimeSpan.FromSeconds(20);

    /// <summary>A registration not renewed for this long is dropped (the edge stopped, or lost track).</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    /// <summary>
    /// For this long after activation a qun timeline sends to every live edge, since edges that registered
    /// with an earlier activation have not all renewed yet.
    /// </summary>
    public static readonly TimeSpan ActivationGrace = TimeSpan.FromSeconds(30);
}
