using AppMsg.Directory;
using AppMsg.Grains.Directory;
using AppMsg.Messaging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// A terminal's reading list: direct memberships index it live (an org's messages are published to the
/// org's whole subtree), while replay reads each timeline the user can receive, orgs' ancestors included.
/// </summary>
[StatelessWorker]
public sealed class ReadingListGrain(OrgIndex orgs, AppIndex apps) : Grain, IReadingListGrain
{
    public async Task<ReadingList> GetAsync(string? userId, string tenantId)
    {
        var appIds = await apps.TenantAppIdsAsync(tenantId);
        var broadcasts = appIds.Select(id => $"{id}@app");
        if (userId is null)
        {
            return new ReadingList([Audiences.TenantAnonymous(tenantId)], [], []);
        }

        var user = GrainFactory.GetGrain<IUserGrain>(userId);
        var memberships = await user.GetMembershipsAsync();
        var muted = await user.GetMutedAsync();
        var quns = memberships.Where(m => m.EndsWith("@qun", StringComparison.Ordinal));
        var directOrgs = memberships.Where(m => m.EndsWith("@org", StringComparison.Ordinal)).Select(m => m[..^"@org".Length]).ToList();
        var orgTimelines = directOrgs.Count == 0 ? [] : (await orgs.WithAncestorsAsync(directOrgs)).Select(id => $"{id}@org");
        var tenant = Audiences.TenantUsers(tenantId);
        return new ReadingList(
            [.. memberships, tenant],
            [$"{userId}@user", .. quns, .. orgTimelines, tenant, .. broadcasts.Where(b => !muted.Contains(b))],
            muted);
    }
}
