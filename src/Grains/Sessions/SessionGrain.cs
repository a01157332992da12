using AppMsg.Sessions;

namespace AppMsg.Grains.Sessions;

/// <summary>A live connection; in memory only, since a session does not outlive its connection.</summary>
public sealed class SessionGrain : Grain, ISessionGrain
{
    private SessionInfo? session;

    public Task OpenAsync(SessionInfo info)
    {
        session = info;
        return Task.CompletedTask;
    }

    public Task CloseAsync()
    {
        session = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<SessionInfo?> GetAsync() => Task.FromResult(session);

    public Task<bool> PushAsync(byte[] envelope) => DeliverAsync(new Delivery(null, 0, envelope));

    public async Task<bool> DeliverAsync(Delivery delivery)
    {
        if (session is null || await EdgeAsync(session.EdgeId) is not { } edge)
        {
            return false;
        }

        await edge.PushAsync([session.SessionId], delivery);
        return true;
    }

    public async Task KickAsync(byte reason)
    {
        if (session is not null && await EdgeAsync(session.EdgeId) is { } edge)
        {
            await edge.KickAsync(session.SessionId, reason);
        }

        await CloseAsync();
    }

    private Task<IEdgeObserver?> EdgeAsync(string edgeId) => GrainFactory.GetGrain<IEdgeRegistryGrain>(0).GetObserverAsync(edgeId);
}
