using AppMsg.Directory;
using AppMsg.Grains.Sessions;
using Orleans.Runtime;

namespace AppMsg.Grains.Directory;

public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Default)] IPersistentState<TenantState> state,
    TenantIndex index,
    LiveEdges liveEdges,
    TenantInfoCache tenantInfos) : Grain, ITenantGrain
{
    public const int MaxNameLength = 100;

    private IGrainTimer? secondKick;

    private string Id => this.GetPrimaryKeyString();

    public async Task<TenantInfo> CreateAsync(string name, TenantSettings? settings = null)
    {
        if (state.State.Name is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the tenant already exists");
        }

        var validName = Names.Validate("name", name, MaxNameLength);
        AppMsg.Conversations.RecallRules.ValidateWindow(settings);
        var createdAt = DateTimeOffset.UtcNow;
        // Listed first: a tenant whose state is stored is always in the list (a failed state write takes the row back).
        await index.UpsertAsync(Id, validName, disabled: false, createdAt);
        state.State.Name = validName;
        state.State.Settings = settings ?? new TenantSettings();
        state.State.CreatedAt = createdAt;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new TenantState();
            await index.DeleteAsync(Id);
            throw;
        }

        return ToInfo();
    }

    public Task<TenantInfo?> GetAsync() => Task.FromResult(state.State.Name is null ? null : ToInfo());

    public async Task<TenantInfo> UpdateSettingsAsync(TenantSettings settings)
    {
        EnsureExists();
        AppMsg.Conversations.RecallRules.ValidateWindow(settings);
        state.State.Settings = settings;
        await state.WriteStateAsync();
        return ToInfo();
    }

    public async Task<TenantInfo> UpdateAsync(TenantUpdate update)
    {
        EnsureExists();
        var name = update.Name is null ? state.State.Name! : Names.Validate("name", update.Name, MaxNameLength);
        var disabled = update.Disabled ?? state.State.Disabled;
        state.State.Name = name;
        state.State.Disabled = disabled;
        await state.WriteStateAsync();
        // Told whenever a status is given, changed or not, and before the list row is written: an operator who retries
        // after a failure here gets the sessions kicked all the same.
        if (update.Disabled is not null)
        {
            tenantInfos.Forget(Id);
            await TellEdgesAsync();
            secondKick?.Dispose();
            secondKick = disabled
                ? this.RegisterGrainTimer(SecondKickAsync, new GrainTimerCreationOptions(TenantInfoCache.Freshness + TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan))
                : null;
        }

        await index.UpsertAsync(Id, name, disabled, state.State.CreatedAt);
        return ToInfo();
    }

    /// <summary>Every live edge forgets what it knows of the tenant and, when it is disabled, kicks its sessions.</summary>
    private async Task TellEdgesAsync()
    {
        var edges = await liveEdges.GetAsync(fresh: true);
        foreach (var edge in edges.Observers.Values)
        {
            edge.OnTenantChangedAsync(Id, state.State.Disabled).Ignore();
        }
    }

    // Silos read tenants through a cache (TenantInfoCache.Freshness): a REGISTER one of them admitted before it saw the
    // change is kicked by this second round.
    private Task SecondKickAsync(CancellationToken cancellation)
    {
        secondKick?.Dispose();
        secondKick = null;
        return state.State.Disabled ? TellEdgesAsync() : Task.CompletedTask;
    }

    private void EnsureExists()
    {
        if (state.State.Name is null)
        {
            throw AppMsgException.NotFound("tenant");
        }
    }

    private TenantInfo ToInfo() =>
        new(Id, state.State.Name!, state.State.Settings, state.State.CreatedAt, state.State.Disabled);
}
