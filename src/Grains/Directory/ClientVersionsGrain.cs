using AppMsg.Directory;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Directory;

public sealed class ClientVersionsGrain(
    [PersistentState("clientversions", StorageNames.Default)] IPersistentState<ClientVersionsState> state,
    IOptions<PeopleDirectoryOptions> options) : Grain, IClientVersionsGrain
{
    private List<ClientVersionInfo> Versions => state.State.Versions;

    public async Task<ClientVersionInfo> PublishAsync(NewClientVersion version)
    {
        var published = ClientVersionValidation.Published(version);
        if (await GrainFactory.GetGrain<IAppGrain>(this.GetPrimaryKeyString()).GetAsync() is null)
        {
            throw AppMsgException.NotFound("app");
        }

        if (Find(published.TerminalType, published.VersionCode) is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, $"version {published.VersionCode} is already published for terminal type {published.TerminalType}",
                new Dictionary<string, string[]> { ["versionCode"] = ["this version code is already published for this terminal type"] });
        }

        if (Versions.Count >= options.Value.MaxClientVersionsPerApp)
        {
            throw new AppMsgException(ErrorCodes.OverQuota, $"an app may have at most {options.Value.MaxClientVersionsPerApp} client versions; delete old ones first");
        }

        Versions.Add(published);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Versions.Remove(published);
            throw;
        }

        return published;
    }

    public Task<IReadOnlyList<ClientVersionInfo>> ListAsync(int? terminalType = null)
    {
        var only = terminalType is { } t ? ClientVersionValidation.TerminalType(t) : 0;
        return Task.FromResult<IReadOnlyList<ClientVersionInfo>>([.. Versions
            .Where(v => only == 0 || v.TerminalType == only)
            .OrderBy(v => v.TerminalType)
            .ThenByDescending(v => v.VersionCode)]);
    }

    public async Task<bool> DeleteAsync(int terminalType, int versionCode)
    {
        var version = Find(terminalType, versionCode);
        if (version is null)
        {
            return false;
        }

        var index = Versions.IndexOf(version);
        Versions.RemoveAt(index);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Versions.Insert(index, version);
            throw;
        }

        return true;
    }

    public Task<ClientUpdateCheck> CheckUpdateAsync(int terminalType, int versionCode)
    {
        ClientVersionValidation.TerminalType(terminalType);
        if (versionCode < 0)
        {
            throw AppMsgException.Invalid("versionCode", "versionCode must not be negative");
        }

        var latest = Versions.Where(v => v.TerminalType == terminalType).MaxBy(v => v.VersionCode);
        return Task.FromResult(new ClientUpdateCheck(latest is not null && latest.VersionCode > versionCode, latest));
    }

    private ClientVersionInfo? Find(int terminalType, int versionCode) =>
        Versions.Find(v => v.TerminalType == terminalType && v.VersionCode == versionCode);
}
