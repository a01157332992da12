using System.Globalization;
using AppMsg.Common;
using AppMsg.Conversations;
using AppMsg.Directory;
using AppMsg.Sessions;
using Orleans.Concurrency;

namespace AppMsg.Grains.Conversations;

/// <summary>A user's conversations, unread counts and read marks, read from the conversation index; no state of its own.</summary>
[Reentrant]
public sealed class UserConversationsGrain(ConversationStore store) : Grain, IUserConversationsGrain
{
    public const int MaxLimit = 500;

    private string UserId => this.GetPrimaryKeyString();

    public async Task<ConversationPage> ListAsync(string? after, int limit)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw AppMsgException.Invalid("limit", $"limit must be 1 to {MaxLimit}");
        }

        var cursor = ParseCursor(after);
        var page = await store.ListAsync(UserId, await QunsAsync(), cursor, limit);
        return new ConversationPage(page, page.Count == limit ? CursorOf(page[^1]) : null);
    }

    public async Task<long> GetUnreadTotalAsync() => await store.UnreadTotalAsync(UserId, await QunsAsync());

    public async Task<ReadMark> MarkReadAsync(string conversation, long seq, string? bySessionId)
    {
        if (!Address.TryParse(conversation, out var address) || !Ids.IsValid(address.Id)
            || address.Kind is not (AddressKind.User or AddressKind.App or AddressKind.Qun))
        {
            throw AppMsgException.Invalid("conversation", "a conversation is a user (id@user), an app (id@app) or a qun (id@qun)");
        }

        var isQun = address.Kind == AddressKind.Qun;
        if (isQun && !(await QunsAsync()).Contains(conversation))
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "only a member may mark a qun read");
        }

        var self = $"{UserId}@user";
        var (mark, unread) = await store.MarkReadAsync(UserId, conversation, isQun ? conversation : self, isQun, seq);
        await GrainFactory.GetGrain<IUserSessionsGrain>(UserId)
            .PushAsync(31, new Delivery(null, 0, ConversationEvents.Read(conversation, mark, unread)), exceptSessionId: bySessionId);

        if (address.Kind == AddressKind.User && conversation != self && await store.RecordPeerReadAsync(UserId, conversation, mark) is { } read)
        {
            await GrainFactory.GetGrain<IUserSessionsGrain>(address.Id)
                .PushAsync(31, new Delivery(null, 0, ConversationEvents.PeerRead(self, read.MessageId, read.At.ToUnixTimeMilliseconds())));
        }

        return new ReadMark(conversation, mark, unread);
    }

    private async Task<List<string>> QunsAsync() =>
        [.. (await GrainFactory.GetGrain<IUserGrain>(UserId).GetMembershipsAsync()).Where(a => a.EndsWith("@qun", StringComparison.Ordinal))];

    // The cursor is "<last activity in unix microseconds>-<address>" of the last conversation on the page.
    private static string CursorOf(ConversationSummary last) =>
        $"{(last.LastAt - DateTimeOffset.UnixEpoch).Ticks / 10}-{last.Address}";

    private static (DateTimeOffset, string)? ParseCursor(string? after)
    {
        if (string.IsNullOrEmpty(after))
        {
            return null;
        }

        var dash = after.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !long.TryParse(after.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            || micros > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() * 1000 || !Address.TryParse(after[(dash + 1)..], out _))
        {
            throw AppMsgException.Invalid("after", "after must be the next value of a previous page");
        }

        return (DateTimeOffset.UnixEpoch.AddTicks(micros * 10), after[(dash + 1)..]);
    }
}
