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

    private Dictionary<CursorKey, CursorPosition> cursors = [];
    private Dictionary<CursorKey, CursorPosition> moved = [];

    // Whether this activation served anything but replay's reads (then it stays: acknowledgements follow).
    private bool servedOthers;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        cursors = await store.LoadAsync(UserId);
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushPeriod, FlushPeriod) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public Task<IReadOnlyDictionary<string, long>> GetAsync(int terminalType)
    {
        servedOthers = true;
        var ofType = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (timeline, position) in FurthestOfType(terminalType))
        {
            ofType[timeline] = position.Seq;
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(ofType);
    }

    public Task<IReadOnlyDictionary<string, CursorPosition>> GetPositionsAsync(int terminalType)
    {
        servedOthers = true;
        return Task.FromResult<IReadOnlyDictionary<string, CursorPosition>>(FurthestOfType(terminalType));
    }

    public Task<IReadOnlyDictionary<string, long>> GetReaderAsync(int terminalType, string deviceId)
    {
        // A REGISTER of a device that then stays idle keeps no cursors in silo memory; its first acknowledgement
        // reads them again.
        if (!servedOthers)
        {
            DeactivateOnIdle();
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(ReaderPositions.Of(cursors, terminalType, deviceId));
    }

    public Task AdvanceAsync(int terminalType, string deviceId, IReadOnlyDictionary<string, long> advanced)
    {
        servedOthers = true;
        var now = time.GetUtcNow();
        foreach (var (timeline, seq) in advanced)
        {
            var key = new CursorKey(terminalType, deviceId, timeline);
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

    /// <summary>Per timeline, the furthest cursor of any reader of the terminal type.</summary>
    private Dictionary<string, CursorPosition> FurthestOfType(int terminalType)
    {
        var ofType = new Dictionary<string, CursorPosition>(StringComparer.Ordinal);
        foreach (var (key, position) in cursors)
        {
            if (key.TerminalType == terminalType && (!ofType.TryGetValue(key.Timeline, out var known) || position.Seq > known.Seq))
            {
                ofType[key.Timeline] = position;
            }
        }

        return ofType;
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
