using AppMsg.Directory;
using Orleans.Runtime;

namespace AppMsg.Grains.Directory;

public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Default)] IPersistentState<TenantState> state) : Grain, ITenantGrain
{
    public const int MaxNameLength = 100;

    public async Task<TenantInfo> CreateAsync(string name, TenantSettings? settings = null)
    {
        if (state.State.Name is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the tenant already exists");
        }

        state.State.Name = Names.Validate("name", name, MaxNameLength);
        AppMsg.Conversations.RecallRules.ValidateWindow(settings);
        state.State.Settings = settings ?? new TenantSettings();
        state.State.CreatedAt = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        return ToInfo();
    }

    public Task<TenantInfo?> GetAsync() => Task.FromResult(state.State.Name is null ? null : ToInfo());

    public async Task<TenantInfo> UpdateSettingsAsync(TenantSettings settings)
    {
        if (state.State.Name is null)
        {
            throw AppMsgException.NotFound("tenant");
        }

        AppMsg.Conversations.RecallRules.ValidateWindow(settings);
        state.State.Settings = settings;
        await state.WriteStateAsync();
        return ToInfo();
    }

    private TenantInfo ToInfo() =>
        new(this.GetPrimaryKeyString(), state.State.Name!, state.State.Settings, state.State.CreatedAt);
}
