using AppMsg.Grains.Sessions;
using AppMsg.Sessions;

namespace AppMsg.Grains.Tests;

public sealed class LiveEdgeSetTests
{
    [Fact]
    public void A_session_is_lost_with_its_edges_earlier_run_or_its_dead_edge_but_not_for_a_run_the_copy_does_not_know_yet()
    {
        var earlierRun = Ids.New();
        Thread.Sleep(5);
        var knownRun = Ids.New();
        Thread.Sleep(5);
        var laterRun = Ids.New();
        var edges = new LiveEdgeSet([new LiveEdge("edge-a", knownRun, null!)]);

        Assert.False(edges.HasLost(Session("edge-a", knownRun)));
        Assert.True(edges.HasLost(Session("edge-a", earlierRun)), "a session of a run before the known one died with it");
        Assert.False(edges.HasLost(Session("edge-a", laterRun)), "a later run registered after this copy was read");
        Assert.True(edges.HasLost(Session("edge-b", knownRun)), "an edge missing from the registry is dead");
        Assert.False(LiveEdgeSet.Unknown.HasLost(Session("edge-b", knownRun)), "nothing is lost while nothing is known");
    }

    private static SessionInfo Session(string edgeId, string incarnation) =>
        new(Ids.New(), "user", "tenant", 1, edgeId, DateTimeOffset.UtcNow, EdgeIncarnation: incarnation);
}
