using AppMsg.Common;

namespace AppMsg.Directory;

/// <summary>
/// A qun (a group of users of one tenant): name, topic, owner, member limit, members and their roles.
/// Keyed by the qun id. Every join and leave is recorded on the user's grain
/// (<see cref="IUserGrain.AddMembershipAsync"/>, <see cref="IUserGrain.RemoveMembershipAsync"/> with <c>id@qun</c>),
/// which publishes it as a membership event.
/// </summary>
/// <remarks>
/// Methods that change the qun take the acting user: null means a privileged caller (a backend, an
/// app or the operator), which may do anything; otherwise the rules of the member's role apply.
/// An acting user who is not a member gets <c>not_found</c>, one without the right <c>forbidden</c>.
/// A dissolved qun answers like one that never existed.
/// </remarks>
public interface IQunGrain : IGrainWithStringKey
{
    /// <summary>Creates the qun under this grain's id with its owner and first members.</summary>
    /// <exception cref="AppMsgException"><c>conflict</c> when the id is taken; <c>not_found</c> for an unknown tenant;
    /// <c>validation_failed</c> for a bad name, topic or limit (fields <c>name</c>, <c>topic</c>, <c>maxMembers</c>), an owner
    /// or member who is not a user of the tenant (<c>ownerId</c>, <c>members</c>), or more members than the limit or than one call takes, <see cref="QunLimits.MaxMembersPerCall"/> (<c>members</c>).</exception>
    Task<QunInfo> CreateAsync(NewQun qun);

    /// <summary>The qun, or null when no live qun has this id.</summary>
    Task<QunInfo?> GetAsync();

    /// <summary>Renames the qun; owner and admins.</summary>
    /// <param name="actorUserId">The acting user, or null for a privileged caller.</param>
    /// <param name="name">1 to 100 characters (trimmed).</param>
    Task<QunInfo> RenameAsync(string? actorUserId, string name);

    /// <summary>Sets the topic (notice); owner and admins. An empty topic clears it.</summary>
    /// <param name="actorUserId">The acting user, or null for a privileged caller.</param>
    /// <param name="topic">0 to 1,000 characters.</param>
    Task<QunInfo> SetTopicAsync(string? actorUserId, string topic);

    /// <summary>Changes the member limit (a privileged operation): 1 to 100,000, and not below the current member count.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> on <c>maxMembers</c>.</exception>
    Task<QunInfo> SetMaxMembersAsync(int maxMembers);

    /// <summary>Adds members with role <see cref="QunRole.Member"/>; owner and admins. Users who are members already are left as they are.</summary>
    /// <param name="actorUserId">The acting user, or null for a privileged caller.</param>
    /// <param name="userIds">Users of the qun's tenant, at most <see cref="QunLimits.MaxMembersPerCall"/>.</param>
    /// <exception cref="AppMsgException"><c>validation_failed</c> on <c>members</c> for a user who is not of the tenant, for more
    /// ids than one call takes, or when the qun would exceed its member limit.</exception>
    Task AddMembersAsync(string? actorUserId, IReadOnlyList<string> userIds);

    /// <summary>
    /// Removes a member: the member itself (leaving), the owner (anyone but itself), an admin (plain members) or a
    /// privileged caller (anyone but the owner). The owner leaves only after transferring ownership.
    /// </summary>
    /// <param name="actorUserId">The acting user, or null for a privileged caller.</param>
    /// <param name="userId">The member to remove.</param>
    /// <exception cref="AppMsgException"><c>not_found</c> when the user is not a member; <c>conflict</c> for the owner.</exception>
    Task RemoveMemberAsync(string? actorUserId, string userId);

    /// <summary>Makes a member an admin or a plain member; the owner or a privileged caller.</summary>
    /// <param name="actorUserId">The acting user, or null for a privileged caller.</param>
    /// <param name="userId">The member.</param>
    /// <param name="role"><see cref="QunRole.Admin"/> or <see cref="QunRole.Member"/>; ownership moves only by <see cref="TransferOwnershipAsync"/>.</param>
    /// <exception cref="AppMsgException"><c>not_found</c> when the user is not a member; <c>conflict</c> for the owner;
    /// <c>validation_failed</c> on <c>role</c> for any other role.</exception>
    Task SetRoleAsync(string? actorUserId, string userId, QunRole role);

    /// <summary>Makes another member the owner; the previous owner stays as an admin. The owner or a privileged caller.</summary>
    /// <param name="actorUserId">The acting user, or null for a privileged caller.</param>
    /// <param name="newOwnerId">A member of the qun.</param>
    /// <exception cref="AppMsgException"><c>validation_failed</c> on <c>userId</c> when the new owner is not a member.</exception>
    Task<QunInfo> TransferOwnershipAsync(string? actorUserId, string newOwnerId);

    /// <summary>Dissolves the qun: every member leaves and the id stays used. The owner or a privileged caller.</summary>
    /// <param name="actorUserId">The acting user, or null for a privileged caller.</param>
    Task DissolveAsync(string? actorUserId);

    /// <summary>The members by user id, a page at a time.</summary>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<QunMember>> GetMembersAsync(string? after, int limit);

    /// <summary>The user's role in the qun, or null when it is not a member (or the qun does not exist).</summary>
    Task<QunRole?> GetMemberRoleAsync(string userId);

    /// <summary>True when the user is a member of the (live) qun.</summary>
    Task<bool> IsMemberAsync(string userId);
}
