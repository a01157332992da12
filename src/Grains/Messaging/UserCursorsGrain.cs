using System.Globalization;
using AppMsg.Messaging;
using Orleans.Runtime;

namespace AppMsg.Grains.Messaging;

/// <summary>Read cursors, written to storage at most every few seconds and on deactivation.</summary>
public sealed class UserCursorsGrain(
    [PersistentState("cursors", StorageNames.Default)] IPersistentState<UserCursorsState> state) : Grain, IUserCursorsGrain
{
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(2);
    private bool dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushPeriod, FlushPeriod) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FlushAsync();

    public Task<IReadOnlyDictionary<string, long>> GetAsync(int terminalType)
    {
        var prefix = Prefix(terminalType);
        var cursors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, seq) in state.State.Cursors)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                cursors[key[prefix.Length..]] = seq;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(cursors);
    }

    public Task AdvanceAsync(int terminalType, IReadOnlyDictionary<string, long> cursors)
    {
        var prefix = Prefix(terminalType);
        foreach (var (timeline, seq) in cursors)
        {
            var key = prefix + timeline;
            if (!state.State.Cursors.TryGetValue(key, out var current) || seq > current)
            {
                state.State.Cursors[key] = seq;
                dirty = true;
            }
        }

        return Task.CompletedTask;
    }

    private async Task FlushAsync()
    {
        if (dirty)
        {
            dirty = false;
            await state.WriteStateAsync();
        }
    }

    private static string Prefix(int terminalType) => terminalType.ToString(CultureInfo.InvariantCulture) + "|";
}
