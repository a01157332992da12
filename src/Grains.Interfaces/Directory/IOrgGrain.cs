namespace AppMsg.Directory;

/// <summary>
/// An org: a node of a tenant's organisation tree, with a parent, a sort order among its siblings and
/// members (users of the tenant). Keyed by the org id. Every join and leave is recorded on the user's grain
/// (<see cref="IUserGrain.AddMembershipAsync"/>, <see cref="IUserGrain.RemoveMembershipAsync"/> with <c>id@org</c>),
/// which publishes it as a membership event. Backends on the Orleans client are trusted: access rules are the HTTP API's.
/// A deleted org answers like one that never existed.
/// </summary>
public interface IOrgGrain : IGrainWithStringKey
{
    /// <summary>Creates the org under this grain's id.</summary>
    /// <exception cref="AppMsgException"><c>conflict</c> when the id is taken; <c>not_found</c> for an unknown tenant;
    /// <c>validation_failed</c> for a bad name or a parent that is not an org of the same tenant (<c>parentId</c>).</exception>
    Task<OrgInfo> CreateAsync(NewOrg org);

    /// <summary>The org, or null when no live org has this id.</summary>
    Task<OrgInfo?> GetAsync();

    /// <summary>Renames the org (1 to 100 characters, trimmed).</summary>
    Task<OrgInfo> RenameAsync(string name);

    /// <summary>Sets the org's position among its siblings (lowest first).</summary>
    Task<OrgInfo> SetSortOrderAsync(int sortOrder);

    /// <summary>Moves the org, with its subtree, under another org of the tenant, or to the root when <paramref name="newParentId"/> is null.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> on <c>parentId</c> for a parent outside the tenant, the org itself or one of its descendants.</exception>
    Task<OrgInfo> MoveAsync(string? newParentId);

    /// <summary>Adds a user of the tenant; adding a member again changes nothing.</summary>
    /// <exception cref="AppMsgException"><c>not_found</c> when the user is not a user of the org's tenant.</exception>
    Task AddMemberAsync(string userId);

    /// <summary>Removes a member.</summary>
    /// <exception cref="AppMsgException"><c>not_found</c> when the user is not a member.</exception>
    Task RemoveMemberAsync(string userId);

    /// <summary>True when the user is a direct member of the (live) org.</summary>
    Task<bool> IsMemberAsync(string userId);

    /// <summary>Deletes the org; the id stays used.</summary>
    /// <exception cref="AppMsgException"><c>conflict</c> while it has child orgs or members.</exception>
    Task DeleteAsync();

    /// <summary>The org's children, by sort order then id.</summary>
    Task<IReadOnlyList<OrgInfo>> GetChildrenAsync();
}
