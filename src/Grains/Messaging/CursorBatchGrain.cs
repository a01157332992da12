using AppMsg.Messaging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// Spreads an edge's batch of cursor moves over the users' cursor grains: the edge makes one call per tick
/// instead of one per user, and the per-user calls stay inside the cluster.
/// </summary>
[StatelessWorker]
public sealed class CursorBatchGrain : Grain, ICursorBatchGrain
{
    public Task AdvanceAsync(IReadOnlyList<CursorAdvance> advances) =>
        FanOut.ForEachAsync(advances, a => GrainFactory.GetGrain<IUserCursorsGrain>(a.UserId).AdvanceAsync(a.TerminalType, a.DeviceId, a.Cursors));
}
