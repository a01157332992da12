using AppMsg.Common;
using AppMsg.Directory;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace AppMsg.Grains.Directory;

[StatelessWorker]
public sealed class DirectoryQueryGrain(UserIndex users) : Grain, IDirectoryQueryGrain
{
    public const int MaxPageSize = 500;

    public Task<string?> FindUserIdAsync(string tenantId, string username) => users.FindAsync(tenantId, username ?? "");

    public Task<Page<UserSummary>> ListUsersAsync(string tenantId, string? usernamePrefix, string? after, int limit) =>
        users.ListAsync(tenantId, usernamePrefix, after, PageSize(limit));

    public Task<Page<QunSummary>> ListUserQunsAsync(string userId, string? after, int limit) =>
        Quns.ListUserQunsAsync(userId, after, PageSize(limit));

    public Task<Page<QunMember>> ListQunMembersAsync(string qunId, string? after, int limit) =>
        Quns.ListMembersAsync(qunId, after, PageSize(limit));

    public Task<Page<UserSummary>> ListOrgMembersAsync(string orgId, bool includeSubOrgs, string? after, int limit) =>
        Orgs.ListMembersAsync(orgId, includeSubOrgs, after, PageSize(limit));

    public Task<Page<OrgInfo>> ListOrgChildrenAsync(string orgId, string? after, int limit) =>
        Orgs.ListChildrenAsync(orgId, after, PageSize(limit));

    public Task<Page<OrgInfo>> ListRootOrgsAsync(string tenantId, string? after, int limit) =>
        Orgs.ListRootsAsync(tenantId, after, PageSize(limit));

    public Task<Page<AppSummary>> ListAppsAsync(string tenantId, string? after, int limit) =>
        ServiceProvider.GetRequiredService<AppIndex>().ListAsync(tenantId, after, PageSize(limit));

    public Task<Page<TenantSummary>> ListTenantsAsync(string? namePrefix, string? after, int limit) =>
        ServiceProvider.GetRequiredService<TenantIndex>().ListAsync(namePrefix, after, PageSize(limit));

    private QunIndex Quns => ServiceProvider.GetRequiredService<QunIndex>();

    private OrgIndex Orgs => ServiceProvider.GetRequiredService<OrgIndex>();

    /// <summary>Checks a requested page size.</summary>
    public static int PageSize(int limit) => limit is >= 1 and <= MaxPageSize
        ? limit
        : throw AppMsgException.Invalid("limit", $"limit must be 1 to {MaxPageSize}");
}
