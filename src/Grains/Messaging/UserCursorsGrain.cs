using AppMsg.Grains.Timelines;
using AppMsg.Messaging;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// Read cursors, in memory while active: loaded from <see cref="CursorStore"/> at activation, and what moved
/// is saved every few seconds (batched with every other user's) and on deactivation. After a crash a
/// terminal may be sent a few messages again, never fewer.
/// </summary>
public sealed class UserCursorsGrain(CursorStore store, TimeProvider time) : Grain, IUserCursorsGrain
{
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(5);

    private Dictionary<(int TerminalType, string Timeline), CursorPosition> cursors = [];
    private Dictionary<(int TerminalType, string Timeline), CursorPosition> moved = [];

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        cursors = await store.LoadAsync(UserId);
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushPeriod, FlushPeriod) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public Task<IReadOnlyDictionary<string, long>> GetAsync(int terminalType)
    {
        var ofType = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((type, timeline), position) in cursors)
        {
            if (type == terminalType)
            {
                ofType[timeline] = position.Seq;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(ofType);
    }

    public Task<IReadOnlyDictionary<string, CursorPosition>> GetPositionsAsync(int terminalType)
    {
        var ofType = new Dictionary<string, CursorPosition>(StringComparer.Ordinal);
        foreach (var ((type, timeline), position) in cursors)
        {
            if (type == terminalType)
            {
                ofType[timeline] = position;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, CursorPosition>>(ofType);
    }

    public Task AdvanceAsync(int terminalType, IReadOnlyDictionary<string, long> advanced)
    {
        var now = time.GetUtcNow();
        foreach (var (timeline, seq) in advanced)
        {
            var key = (terminalType, timeline);
            var known = cursors.TryGetValue(key, out var current);
            if (!known || seq > current.Seq)
            {
                var from = known ? current.Seq : 0;
                cursors[key] = new CursorPosition(seq, from, now);
                // Moves not yet saved merge: the saved row covers them all, timed by the latest.
                moved[key] = new CursorPosition(seq, moved.TryGetValue(key, out var unsaved) ? unsaved.AckedFrom : from, now);
            }
        }

        return Task.CompletedTask;
    }

    private async Task FlushAsync()
    {
        if (moved.Count == 0)
        {
            return;
        }

        var saving = moved;
        moved = [];
        try
        {
            await store.SaveAsync(UserId, saving);
        }
        catch (AppMsgException)
        {
            // Not saved: kept for the next flush (newer moves of the same key win).
            foreach (var (key, position) in saving)
            {
                moved[key] = moved.TryGetValue(key, out var newer) ? newer with { AckedFrom = position.AckedFrom } : position;
            }
        }
    }
}
