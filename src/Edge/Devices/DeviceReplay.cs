using AppMsg.Edge.Cluster;
using AppMsg.Messaging;

namespace AppMsg.Edge.Devices;

/// <summary>
/// A device connection's replay, after REGISTER and on SYNC: stored messages after the terminal's cursors, page by page,
/// each page once the previous one is written, while live deliveries wait (held back by the connection) so that seq order holds.
/// </summary>
public static partial class DeviceReplay
{
    private const int PageSize = 100;

    /// <summary>
    /// Sends what the terminal has not acknowledged: every message after its cursor in its inbox and
    /// groups (or after the cursors it named in SYNC), oldest first, marked offline. False when the
    /// cluster could not be read to the end.
    /// </summary>
    /// <param name="requested">The cursors a SYNC named, or null for every timeline after the stored cursors.</param>
    /// <param name="known">The reading list REGISTER already read, or null to read it.</param>
    /// <param name="joined">Whether REGISTER also joined <paramref name="known"/>'s audiences (anonymous sessions).</param>
    /// <param name="startCursors">The stored cursors REGISTER already read, or null to read them.</param>
    /// <param name="inboxHead">The last seq of the user's inbox, read after the session was attached, or null.</param>
    public static async Task<bool> ReplayAsync(DeviceConnection connection, IReadOnlyDictionary<string, long>? requested, ReadingList? known = null, bool joined = false,
        IReadOnlyDictionary<string, long>? startCursors = null, long? inboxHead = null)
    {
        if (connection.Session is not { } live)
        {
            return false;
        }

        var services = connection.Services;
        var tracker = connection.Tracker;
        Metrics.EdgeMetrics.ReplayStarted();
        connection.HoldLiveDeliveries();
        var complete = true;
        try
        {
            // SYNC may name only timelines the user can read; anything else is ignored.
            var list = known ?? await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<IReadingListGrain>(0).GetAsync(live.UserId, live.TenantId));
            connection.SetMutedSenders(list.Muted);
            IReadOnlyList<string> timelines = list.Timelines;
            if (requested is null)
            {
                if (!joined)
                {
                    await connection.JoinAudiencesAsync(list);
                }
            }
            else
            {
                timelines = [.. list.Timelines.Where(requested.ContainsKey)];
            }

            if (live.UserId is not { } userId)
            {
                // Anonymous sessions have no cursors: they receive broadcasts live only.
                return true;
            }

            var inbox = Common.Address.User(userId).ToString();
            var stored = startCursors
                ?? await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<IUserCursorsGrain>(userId).GetReaderAsync(live.TerminalType, live.DeviceId ?? string.Empty));
            foreach (var timeline in timelines)
            {
                var after = requested?[timeline] ?? tracker.CursorOf(timeline) ?? stored.GetValueOrDefault(timeline);
                tracker.Start(timeline, after);
                if (inboxHead is { } head && head <= after && timeline == inbox)
                {
                    continue;
                }

                var grain = services.Cluster.GetGrain<ITimelineGrain>(timeline);
                while (!connection.IsClosing)
                {
                    var from = after;
                    var page = await ClusterRetry.RunAsync(() => grain.ReadAsync(from, PageSize));
                    for (var i = 0; i < page.Envelopes.Count; i++)
                    {
                        if ((page.TerminalTypes[i] & live.TerminalType) == 0 || connection.IsMuting(page.Senders[i]))
                        {
                            tracker.Skipped(timeline, page.Seqs[i]);
                            continue;
                        }

                        // A message that also reached this edge live while the replay ran goes out as the live one.
                        connection.Send(connection.TakeHeldBack(timeline, page.Seqs[i]) ?? new PushDelivery(page.Envelopes[i], timeline, page.Seqs[i], offline: 1,
                            asIm: page.Senders[i].EndsWith("@user", StringComparison.Ordinal), from: page.Senders[i],
                            expiresAtMs: page.ExpiresAtMs?[i] ?? 0), attempt: 1, onlyIfNew: false);
                    }

                    // The next page waits until this one is written: a long replay never floods the send queue.
                    await connection.Channel.WhenEmptyAsync();
                    if (page.NextAfter is not { } next)
                    {
                        break;
                    }

                    after = next;
                }
            }
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogFailed(services.Logger, live.SessionId, e.Message);
            complete = false;
        }
        finally
        {
            connection.ReleaseHeldBack();
            Metrics.EdgeMetrics.ReplayEnded();
        }

        return complete;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: replay failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string sessionId, string reason);
}
