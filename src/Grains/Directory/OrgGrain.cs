using AppMsg.Directory;
using Orleans.Runtime;

namespace AppMsg.Grains.Directory;

/// <remarks>
/// The tree's shape (parents, cycles, children left behind) is checked in SQL, where concurrent moves
/// take turns; the grain never calls another org's grain, so no two orgs can wait on each other.
/// Member changes reach SQL and the user's grain before the org's state is written, so repeating a
/// failed call completes it.
/// </remarks>
public sealed class OrgGrain(
    [PersistentState("org", StorageNames.Default)] IPersistentState<OrgState> state,
    OrgIndex index) : Grain, IOrgGrain
{
    public const int MaxNameLength = 100;

    private OrgState Org => state.State;

    private string Id => this.GetPrimaryKeyString();

    private string Address => Common.Address.Org(Id).ToString();

    private bool Live => Org.TenantId is not null && !Org.Deleted;

    public async Task<OrgInfo> CreateAsync(NewOrg org)
    {
        ArgumentNullException.ThrowIfNull(org);
        if (Org.TenantId is not null)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the org already exists");
        }

        var name = Names.Validate("name", org.Name, MaxNameLength);
        await TenantChecks.EnsureExistsAsync(GrainFactory, org.TenantId);

        if (org.ParentId is not null && (!Ids.IsValid(org.ParentId) || org.ParentId == Id))
        {
            throw BadParent();
        }

        // Truncated to what PostgreSQL stores, so the grain and the SQL lists answer the same time.
        var now = DateTimeOffset.UtcNow;
        var createdAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var info = new OrgInfo(Id, org.TenantId, org.ParentId, name, org.SortOrder, createdAt);
        if (!await index.TryInsertAsync(info))
        {
            throw BadParent();
        }

        Org.TenantId = info.TenantId;
        Org.ParentId = info.ParentId;
        Org.Name = info.Name;
        Org.SortOrder = info.SortOrder;
        Org.CreatedAt = info.CreatedAt;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new OrgState();
            await index.TryDeleteAsync(Id);
            throw;
        }

        return ToInfo();
    }

    public Task<OrgInfo?> GetAsync() => Task.FromResult(Live ? ToInfo() : null);

    public async Task<OrgInfo> RenameAsync(string name)
    {
        EnsureLive();
        var valid = Names.Validate("name", name, MaxNameLength);
        await index.UpdateAsync(Id, valid, Org.SortOrder);
        Org.Name = valid;
        await SaveAsync();
        return ToInfo();
    }

    public async Task<OrgInfo> SetSortOrderAsync(int sortOrder)
    {
        EnsureLive();
        await index.UpdateAsync(Id, Org.Name, sortOrder);
        Org.SortOrder = sortOrder;
        await SaveAsync();
        return ToInfo();
    }

    public async Task<OrgInfo> MoveAsync(string? newParentId)
    {
        EnsureLive();
        if (newParentId == Org.ParentId)
        {
            return ToInfo();
        }

        if (newParentId is not null && !Ids.IsValid(newParentId))
        {
            throw BadParent();
        }

        if (newParentId == Id)
        {
            throw Cycle();
        }

        switch (await index.MoveAsync(Id, Org.TenantId!, newParentId))
        {
            case OrgIndex.MoveResult.ParentNotFound:
                throw BadParent();
            case OrgIndex.MoveResult.Cycle:
                throw Cycle();
        }

        Org.ParentId = newParentId;
        await SaveAsync();
        return ToInfo();
    }

    public async Task AddMemberAsync(string userId)
    {
        EnsureLive();
        if (!Ids.IsValid(userId) || (await GrainFactory.GetGrain<IUserGrain>(userId).GetAsync())?.TenantId != Org.TenantId)
        {
            throw AppMsgException.NotFound("user");
        }

        if (Org.Members.Contains(userId))
        {
            return;
        }

        await index.AddMemberAsync(Id, userId);
        await GrainFactory.GetGrain<IUserGrain>(userId).AddMembershipAsync(Address);
        Org.Members.Add(userId);
        await SaveAsync();
    }

    public async Task RemoveMemberAsync(string userId)
    {
        EnsureLive();
        if (userId is null || !Org.Members.Contains(userId))
        {
            throw AppMsgException.NotFound("member");
        }

        await index.RemoveMemberAsync(Id, userId);
        await GrainFactory.GetGrain<IUserGrain>(userId).RemoveMembershipAsync(Address);
        Org.Members.Remove(userId);
        await SaveAsync();
    }

    public Task<bool> IsMemberAsync(string userId) => Task.FromResult(Live && userId is not null && Org.Members.Contains(userId));

    public async Task DeleteAsync()
    {
        EnsureLive();
        if (Org.Members.Count > 0)
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the org has members; remove them first");
        }

        if (!await index.TryDeleteAsync(Id))
        {
            throw new AppMsgException(ErrorCodes.Conflict, "the org has child orgs; move or delete them first");
        }

        Org.Deleted = true;
        await SaveAsync();
    }

    public async Task<IReadOnlyList<OrgInfo>> GetChildrenAsync()
    {
        EnsureLive();
        return await index.ChildrenAsync(Id);
    }

    private void EnsureLive()
    {
        if (!Live)
        {
            throw AppMsgException.NotFound("org");
        }
    }

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The state in memory is ahead of the stored one: reload it on the next call.
            DeactivateOnIdle();
            throw;
        }
    }

    private static AppMsgException BadParent() =>
        AppMsgException.Invalid("parentId", "parentId must be an org of the same tenant");

    private static AppMsgException Cycle() =>
        AppMsgException.Invalid("parentId", "an org cannot move under itself or one of its descendants");

    private OrgInfo ToInfo() => new(Id, Org.TenantId!, Org.ParentId, Org.Name, Org.SortOrder, Org.CreatedAt);
}
