using System.Collections.Concurrent;
using AppMsg.Conversations;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// The one place a notification's badge comes from: the user's total unread count (#15's conversation index,
/// <see cref="IUserConversationsGrain.GetUnreadTotalAsync"/>), which APNs shows as <c>aps.badge</c>. Read at most once
/// per <see cref="Freshness"/> per user and silo (a qun message to 1,000 offline users costs 1,000 reads, not one per
/// device and message), at most <see cref="MaxUsers"/> users kept; a count not read within <see cref="ReadTimeout"/> is
/// left out (the device keeps its badge) rather than holding the notification back.
/// </summary>
public sealed class PushBadges(IGrainFactory grains, TimeProvider clock)
{
    public const int MaxUsers = 100_000;
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (int Badge, DateTimeOffset ReadAt)> known = new(StringComparer.Ordinal);

    /// <summary>The user's badge number, or null to leave the device's badge as it is.</summary>
    public async ValueTask<int?> BadgeAsync(string userId)
    {
        var now = clock.GetUtcNow();
        if (known.TryGetValue(userId, out var entry) && now - entry.ReadAt < Freshness)
        {
            return entry.Badge;
        }

        try
        {
            var unread = await grains.GetGrain<IUserConversationsGrain>(userId).GetUnreadTotalAsync().WaitAsync(ReadTimeout, clock);
            var badge = (int)Math.Clamp(unread, 0, 99_999);
            if (known.Count >= MaxUsers)
            {
                known.Clear();
            }

            known[userId] = (badge, now);
            return badge;
        }
        catch (Exception e) when (e is TimeoutException or AppMsgException or Orleans.Runtime.OrleansException)
        {
            return null;
        }
    }
}
