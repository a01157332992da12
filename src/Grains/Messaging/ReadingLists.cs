using System.Collections.Concurrent;
using AppMsg.Directory;
using AppMsg.Grains.Directory;
using AppMsg.Messaging;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// Builds a terminal's reading list from the user's memberships and mutes: direct memberships index it live (an
/// org's messages are published to the org's whole subtree), while replay reads each timeline the user can
/// receive, orgs' ancestors included. One per silo, shared by <see cref="ReadingListGrain"/> and REGISTER.
/// </summary>
public sealed class ReadingLists(OrgIndex orgs, AppIndex apps, TimeProvider clock)
{
    // A tenant's apps change rarely; a new app's broadcasts reach terminals live at once (by tenant), and its
    // timeline joins reading lists for replay within this time.
    private static readonly TimeSpan AppsLifetime = TimeSpan.FromSeconds(10);
    private const int MaxTenantsCached = 10_000;
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Ids, DateTimeOffset ReadAt)> tenantApps = new(StringComparer.Ordinal);

    /// <summary>The reading list of an anonymous session of <paramref name="tenantId"/> (its tenant's app broadcasts, live only).</summary>
    public static ReadingList Anonymous(string tenantId) => new([Audiences.TenantAnonymous(tenantId)], [], []);

    /// <summary>The reading list of a signed-in user with these memberships (<c>id@qun</c>, <c>id@org</c>) and mutes.</summary>
    public async Task<ReadingList> OfUserAsync(string userId, string tenantId, IReadOnlyCollection<string> memberships, IReadOnlyCollection<string> muted)
    {
        var appIds = await TenantAppIdsAsync(tenantId);
        var quns = memberships.Where(m => m.EndsWith("@qun", StringComparison.Ordinal));
        var directOrgs = memberships.Where(m => m.EndsWith("@org", StringComparison.Ordinal)).Select(m => m[..^"@org".Length]).ToList();
        var orgTimelines = directOrgs.Count == 0 ? [] : (await orgs.WithAncestorsAsync(directOrgs)).Select(id => $"{id}@org");
        var tenant = Audiences.TenantUsers(tenantId);
        var broadcasts = appIds.Select(id => $"{id}@app");
        var mutedSet = muted as IReadOnlySet<string> ?? muted.ToHashSet(StringComparer.Ordinal);
        return new ReadingList(
            [.. memberships.Order(StringComparer.Ordinal), tenant],
            [$"{userId}@user", .. quns.Order(StringComparer.Ordinal), .. orgTimelines, tenant, .. broadcasts.Where(b => !mutedSet.Contains(b))],
            [.. muted.Order(StringComparer.Ordinal)]);
    }

    private async Task<IReadOnlyList<string>> TenantAppIdsAsync(string tenantId)
    {
        var now = clock.GetUtcNow();
        if (tenantApps.TryGetValue(tenantId, out var known) && now - known.ReadAt < AppsLifetime)
        {
            return known.Ids;
        }

        if (tenantApps.Count > MaxTenantsCached)
        {
            tenantApps.Clear();
        }

        var ids = await apps.TenantAppIdsAsync(tenantId);
        tenantApps[tenantId] = (ids, now);
        return ids;
    }
}
