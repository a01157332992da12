using System.Collections.Concurrent;
using AppMsg.Grains.Conversations;
using Npgsql;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// The one place a notification's badge comes from: the user's total unread count (#15's conversation index, counted as
/// <see cref="AppMsg.Conversations.IUserConversationsGrain.GetUnreadTotalAsync"/> counts it), which APNs shows as
/// <c>aps.badge</c>. Read for a whole batch of recipients in one statement (<see cref="ConversationStore.UnreadTotalsAsync"/>,
/// no grain activated), at most once per <see cref="Freshness"/> per user and silo, at most <see cref="MaxUsers"/> users
/// kept; counts not read within <see cref="ReadTimeout"/> are left out (the devices keep their badge) rather than holding
/// the notifications back.
/// </summary>
public sealed class PushBadges(ConversationStore conversations, TimeProvider clock)
{
    public const int MaxUsers = 100_000;
    public const int UsersPerStatement = 1_000;
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (int Badge, DateTimeOffset ReadAt)> known = new(StringComparer.Ordinal);

    /// <summary>The badge numbers of these users; a user missing from the answer keeps its devices' badge as it is.</summary>
    public async Task<Dictionary<string, int>> BadgesAsync(IReadOnlyCollection<string> userIds)
    {
        var now = clock.GetUtcNow();
        var badges = new Dictionary<string, int>(userIds.Count, StringComparer.Ordinal);
        List<string>? missing = null;
        foreach (var userId in userIds)
        {
            if (known.TryGetValue(userId, out var entry) && now - entry.ReadAt < Freshness)
            {
                badges[userId] = entry.Badge;
            }
            else
            {
                (missing ??= []).Add(userId);
            }
        }

        if (missing is null)
        {
            return badges;
        }

        if (known.Count + missing.Count > MaxUsers)
        {
            known.Clear();
        }

        foreach (var chunk in missing.Chunk(UsersPerStatement))
        {
            Dictionary<string, long> totals;
            try
            {
                using var timeout = new CancellationTokenSource(ReadTimeout, clock);
                totals = await conversations.UnreadTotalsAsync(chunk, timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or NpgsqlException or TimeoutException)
            {
                continue;
            }

            foreach (var userId in chunk)
            {
                var badge = (int)Math.Clamp(totals.GetValueOrDefault(userId), 0, 99_999);
                badges[userId] = badge;
                known[userId] = (badge, now);
            }
        }

        return badges;
    }
}
