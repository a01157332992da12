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
    // A tenant's apps change rarely; a new app's broadcasts reach terminals live at once (by tenant), and its
    // timeline joins reading lists for replay within this time.
    private static readonly TimeSpan AppsLifetime = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, (IReadOnlyList<string> Ids, DateTime ReadAt)> tenantApps = new(StringComparer.Ordinal);

    public async Task<ReadingList> GetAsync(string? userId, string tenantId)
    {
        var appIds = await TenantAppIdsAsync(tenantId);
        var broadcasts = appIds.Select(id => $"{id}@app");
        if (userId is null)
        {
            return new ReadingList([Audiences.TenantAnonymous(tenantId)], [], []);
        }

        var user = GrainFactory.GetGrain<IUserGrain>(userId);
        var (memberships, muted) = await user.GetReadingAsync();
        var quns = memberships.Where(m => m.EndsWith("@qun", StringComparison.Ordinal));
        var directOrgs = memberships.Where(m => m.EndsWith("@org", StringComparison.Ordinal)).Select(m => m[..^"@org".Length]).ToList();
        var orgTimelines = directOrgs.Count == 0 ? [] : (await orgs.WithAncestorsAsync(directOrgs)).Select(id => $"{id}@org");
        var tenant = Audiences.TenantUsers(tenantId);
        return new ReadingList(
            [.. memberships, tenant],
            [$"{userId}@user", .. quns, .. orgTimelines, tenant, .. broadcasts.Where(b => !muted.Contains(b))],
            muted);
    }

    private async Task<IReadOnlyList<string>> TenantAppIdsAsync(string tenantId)
    {
        var now = DateTime.UtcNow;
        if (tenantApps.TryGetValue(tenantId, out var known) && now - known.ReadAt < AppsLifetime)
        {
            return known.Ids;
        }

        if (tenantApps.Count > 10_000)
        {
            tenantApps.Clear();
        }

        var ids = await apps.TenantAppIdsAsync(tenantId);
        tenantApps[tenantId] = (ids, now);
        return ids;
    }
}
