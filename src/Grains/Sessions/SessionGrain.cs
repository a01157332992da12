using AppMsg.Sessions;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// A live connection, found on the edge that holds it: the grain remembers which edge that was and checks with it
/// before each use (so a session that ended is never taken for live), and asks every live edge when it does not know.
/// </summary>
public sealed class SessionGrain(LiveEdges liveEdges, TimeProvider clock) : Grain, ISessionGrain
{
    private string? edgeId;

    private string SessionId => this.GetPrimaryKeyString();

    public async Task<SessionInfo?> GetAsync() => (await FindAsync())?.Session;

    public Task<bool> PushAsync(byte[] envelope) => DeliverAsync(new Delivery(null, 0, envelope));

    public async Task<bool> DeliverAsync(Delivery delivery)
    {
        if (await FindAsync() is not { } found)
        {
            return false;
        }

        await found.Edge.DeliverAsync([EdgeDelivery.ToSessions(delivery, [SessionId])]);
        return true;
    }

    public async Task KickAsync(byte reason)
    {
        if (await FindAsync() is { } found)
        {
            await found.Edge.KickAsync(SessionId, reason);
        }

        DeactivateOnIdle();
    }

    private async Task<(SessionInfo Session, IEdgeObserver Edge)?> FindAsync()
    {
        var edges = await liveEdges.GetAsync();
        if (edgeId is not null && edges.Observers.TryGetValue(edgeId, out var known)
            && await AskAsync(known) is { } stillThere)
        {
            return (stillThere, known);
        }

        edgeId = null;
        var answers = await Task.WhenAll(edges.All.Select(async e => (Edge: e.Observer, Session: await AskAsync(e.Observer))));
        foreach (var (edge, session) in answers)
        {
            if (session is not null)
            {
                edgeId = session.EdgeId;
                return (session, edge);
            }
        }

        return null;
    }

    private async Task<SessionInfo?> AskAsync(IEdgeObserver edge)
    {
        try
        {
            return await edge.FindSessionAsync(SessionId).WaitAsync(EdgeLiveness.QueryTimeout, clock);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
