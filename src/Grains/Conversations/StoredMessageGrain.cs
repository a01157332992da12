using AppMsg.Common;
using AppMsg.Conversations;
using AppMsg.Directory;
using AppMsg.Messaging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Conversations;

/// <summary>A stored message by id: its copies are found in the store on each call (index <c>ix_msg_messages_message_id</c>).</summary>
[StatelessWorker]
public sealed class StoredMessageGrain(RecallStore recalls, ConversationStore conversations) : Grain, IStoredMessageGrain
{
    private string MessageId => this.GetPrimaryKeyString();

    public async Task<StoredMessageInfo?> GetAsync() => (await recalls.FindCopiesAsync(MessageId)).FirstOrDefault();

    public async Task RecallAsync(string recalledBy)
    {
        foreach (var copy in await recalls.FindCopiesAsync(MessageId))
        {
            if (!copy.Recalled)
            {
                await GrainFactory.GetGrain<ITimelineGrain>(copy.Timeline).RecallAsync(copy.Seq, MessageId, recalledBy);
            }
        }
    }

    public async Task<MessageReads> CountReadsAsync()
    {
        var message = await GetAsync() ?? throw AppMsgException.NotFound("message");
        if (!Address.TryParse(message.Timeline, out var qun) || qun.Kind != AddressKind.Qun)
        {
            throw AppMsgException.Invalid("messageId", "read counts are kept for qun messages; a 1:1 sender sees the peer's read mark");
        }

        var members = await GrainFactory.GetGrain<IQunGrain>(qun.Id).GetAsync();
        var sender = Address.TryParse(message.Sender, out var from) && from.Kind == AddressKind.User ? from.Id : "";
        var read = await conversations.CountReadsAsync(message.Timeline, message.Seq, sender);
        return new MessageReads(MessageId, read, members?.MemberCount ?? 0);
    }
}
