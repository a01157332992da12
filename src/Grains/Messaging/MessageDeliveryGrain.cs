using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Grains.Timelines;
using AppMsg.Messaging;
using AppMsg.Messaging.DeliveryState;
using AppMsg.Sessions;
using Orleans.Concurrency;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// Works out a message's delivery state: the recipients are the inbox's user or a page of the group audience's users; a
/// terminal is listed when it has a cursor on the timeline or a session online; its state comes from its cursor
/// (acknowledged), the expiry, and whether a session of it is online (delivered, awaiting the acknowledgement) or
/// not (pending), or notified when a push notification of it was sent to the terminal's registered device (push_sent). Cursors are read from the users' cursor grains, which edges update within a second of an acknowledgement.
/// </summary>
[StatelessWorker]
public sealed class MessageDeliveryGrain(MessageLocator locator, Notifications.PushStore notifications, TimeProvider time) : Grain, IMessageDeliveryGrain
{
    private static readonly int[] TerminalTypeBits = [1, 2, 4, 8, 16];

    public async Task<MessageDelivery?> GetAsync(string messageId, string? afterUserId, int limit)
    {
        if (await locator.FindAsync(messageId) is not { } message)
        {
            return null;
        }

        var (users, next, listed) = await RecipientsAsync(message.Timeline, afterUserId, limit);
        var notified = (users.Count == 0 ? [] : await notifications.NotifiedAsync(message.MessageId, users)).ToLookup(n => n.UserId, StringComparer.Ordinal);
        var recipients = await FanOut.SelectAsync(users, u => RecipientAsync(u, message, notified[u]));
        return new MessageDelivery(message.MessageId, message.Timeline, message.Seq, message.Sender, message.CreatedAt, message.ExpiresAt,
            recipients, next, listed);
    }

    /// <summary>
    /// An inbox's user, or a page of a group audience's users: a qun's members; an org's members and those of every org
    /// below it; a tenant's users; for an app broadcast, the users of the app's tenant (its anonymous sessions are not
    /// users and are not listed). An app's upstream and anything else has no recipients listed.
    /// </summary>
    private async Task<(IReadOnlyList<string> Users, string? Next, bool Listed)> RecipientsAsync(string timeline, string? after, int limit)
    {
        if (!Address.TryParse(timeline, out var address))
        {
            return ([], null, false);
        }

        var directory = GrainFactory.GetGrain<IDirectoryQueryGrain>(0);
        switch (address.Kind)
        {
            case AddressKind.User:
                return ([address.Id], null, true);
            case AddressKind.Qun:
                var page = await GrainFactory.GetGrain<IQunGrain>(address.Id).GetMembersAsync(after, limit);
                return ([.. page.Items.Select(m => m.UserId)], page.Next, true);
            case AddressKind.Org:
                return Users(await directory.ListOrgMembersAsync(address.Id, includeSubOrgs: true, after, limit));
            case AddressKind.Tenant:
                return Users(await directory.ListUsersAsync(address.Id, usernamePrefix: null, after, limit));
            case AddressKind.App when await GrainFactory.GetGrain<IAppGrain>(address.Id).GetAsync() is { } app:
                return Users(await directory.ListUsersAsync(app.TenantId, usernamePrefix: null, after, limit));
            default:
                return ([], null, false);
        }

        static (IReadOnlyList<string>, string?, bool) Users(Page<UserSummary> page) => ([.. page.Items.Select(u => u.Id)], page.Next, true);
    }

    private async Task<RecipientDelivery> RecipientAsync(string userId, StoredMessage message,
        IEnumerable<(string UserId, string DeviceId, int TerminalType, DateTimeOffset At)> notified)
    {
        var sessions = await GrainFactory.GetGrain<IUserSessionsGrain>(userId).GetSessionsAsync();
        var cursors = GrainFactory.GetGrain<IUserCursorsGrain>(userId);
        var now = time.GetUtcNow();
        var terminals = new List<TerminalDelivery>();
        foreach (var type in TerminalTypeBits)
        {
            if ((message.TerminalTypes & type) == 0)
            {
                continue;
            }

            var session = sessions.FirstOrDefault(s => s.TerminalType == type);
            var known = await cursors.GetPositionsAsync(type);
            var position = known.TryGetValue(message.Timeline, out var found) ? found : (CursorPosition?)null;
            var cursor = position?.Seq;
            var pushed = notified.Where(n => n.TerminalType == type).ToList();
            if (cursor is null && session is null && pushed.Count == 0)
            {
                continue;
            }

            // Not acknowledged and not expired, but a notification went to its device: notified (one entry per device).
            if (pushed.Count > 0 && !(cursor >= message.Seq) && message.ExpiresAt > now)
            {
                terminals.AddRange(pushed.Select(p => new TerminalDelivery(type, p.DeviceId, TerminalDeliveryState.Notified, p.At)));
                continue;
            }

            terminals.Add(cursor >= message.Seq
                ? new TerminalDelivery(type, session?.SessionId, TerminalDeliveryState.Acknowledged, position!.Value.AcknowledgedAt(message.Seq))
                : message.ExpiresAt <= now
                    ? new TerminalDelivery(type, session?.SessionId, TerminalDeliveryState.Expired, message.ExpiresAt)
                    : session is not null
                        ? new TerminalDelivery(type, session.SessionId, TerminalDeliveryState.Delivered, Max(message.CreatedAt, session.Since))
                        : new TerminalDelivery(type, null, TerminalDeliveryState.Pending, message.CreatedAt));
        }

        return new RecipientDelivery(userId, terminals);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
