using AppMsg.Grains.Timelines;
using AppMsg.Messaging;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// Read cursors, in memory while active: loaded from <see cref="CursorStore"/> at activation, and what moved
/// is saved every few seconds (batched with every other user's) and on deactivation. After a crash a
/// terminal may be sent a few messages again, never fewer.
/// </summary>
public sealed class UserCursorsGrain(CursorStore store) : Grain, IUserCursorsGrain
{
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(5);

    private Dictionary<CursorKey, long> cursors = [];
    private Dictionary<CursorKey, long> moved = [];

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
        foreach (var (key, seq) in cursors)
        {
            if (key.TerminalType == terminalType && (!ofType.TryGetValue(key.Timeline, out var known) || seq > known))
            {
                ofType[key.Timeline] = seq;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(ofType);
    }

    public Task<IReadOnlyDictionary<string, long>> GetReaderAsync(int terminalType, string deviceId)
    {
        // A REGISTER of a device that then stays idle keeps no cursors in silo memory; its first acknowledgement
        // reads them again.
        if (!servedOthers)
        {
            DeactivateOnIdle();
        }

        var ofReader = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, seq) in cursors)
        {
            if (key.TerminalType != terminalType)
            {
                continue;
            }

            if (key.DeviceId == deviceId)
            {
                ofReader[key.Timeline] = seq;
            }
            else if (key.DeviceId.Length == 0)
            {
                ofReader.TryAdd(key.Timeline, seq);
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(ofReader);
    }

    public Task AdvanceAsync(int terminalType, string deviceId, IReadOnlyDictionary<string, long> advanced)
    {
        servedOthers = true;
        foreach (var (timeline, seq) in advanced)
        {
            var key = new CursorKey(terminalType, deviceId, timeline);
            if (!cursors.TryGetValue(key, out var current) || seq > current)
            {
                cursors[key] = seq;
                moved[key] = seq;
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
            foreach (var (key, seq) in saving)
            {
                moved.TryAdd(key, seq);
            }
        }
    }
}
