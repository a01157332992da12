using AppMsg.Backends;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AppMsg.Grains.Backends;

/// <summary>Fans a tenant's session events out to the apps that asked for them (one one-way call per app).</summary>
[Reentrant]
public sealed class SessionEventsGrain(
    [PersistentState("sessionEvents", StorageNames.Default)] IPersistentState<SessionEventsState> state) : Grain, ISessionEventsGrain
{
    public async Task AddAppAsync(string appId)
    {
        if (state.State.Apps.Add(appId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAppAsync(string appId)
    {
        if (state.State.Apps.Remove(appId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task PublishAsync(SessionEvent sessionEvent)
    {
        foreach (var appId in state.State.Apps)
        {
            GrainFactory.GetGrain<IAppUpstreamGrain>(appId).OnSessionEventAsync(sessionEvent).Ignore();
        }

        return Task.CompletedTask;
    }
}
