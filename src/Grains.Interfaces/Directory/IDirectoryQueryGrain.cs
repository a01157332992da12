using AppMsg.Common;

namespace AppMsg.Directory;

/// <summary>
/// Lists and searches over the directory, served from SQL tables that the directory grains keep in
/// step with their state. A stateless worker: call it with key 0.
/// </summary>
public interface IDirectoryQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The id of the user with this username in the tenant (case-insensitive), or null.</summary>
    Task<string?> FindUserIdAsync(string tenantId, string username);

    /// <summary>Users of a tenant whose username starts with <paramref name="usernamePrefix"/> (case-insensitive), by username.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="usernamePrefix">A prefix, or null for all users.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<UserSummary>> ListUsersAsync(string tenantId, string? usernamePrefix, string? after, int limit);

    /// <summary>The quns a user belongs to, with its role in each, by qun id (oldest first).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<QunSummary>> ListUserQunsAsync(string userId, string? after, int limit);

    /// <summary>The members of a qun and their roles, by user id: the same order and cursors as <see cref="IQunGrain.GetMembersAsync"/>.</summary>
    /// <param name="qunId">The qun.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<QunMember>> ListQunMembersAsync(string qunId, string? after, int limit);

    /// <summary>The members of an org, by user id, each user once.</summary>
    /// <param name="orgId">The org.</param>
    /// <param name="includeSubOrgs">Also the members of every org below it.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<UserSummary>> ListOrgMembersAsync(string orgId, bool includeSubOrgs, string? after, int limit);

    /// <summary>The children of an org, by sort order then id.</summary>
    /// <param name="orgId">The parent org.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<OrgInfo>> ListOrgChildrenAsync(string orgId, string? after, int limit);

    /// <summary>The root orgs of a tenant, by sort order then id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<OrgInfo>> ListRootOrgsAsync(string tenantId, string? after, int limit);

    /// <summary>Every tenant whose name starts with <paramref name="namePrefix"/> (case-insensitive), by name then id.</summary>
    /// <param name="namePrefix">A prefix, or null for all tenants.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<TenantSummary>> ListTenantsAsync(string? namePrefix, string? after, int limit);

    /// <summary>A tenant's apps, by id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    Task<Page<AppSummary>> ListAppsAsync(string tenantId, string? after, int limit);
}
