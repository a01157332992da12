namespace AppMsg.Conversations;

/// <summary>
/// One user's conversations (keyed by user id): the 1:1 conversations and quns, newest activity first, with unread
/// counts and read marks. Reads the per-user conversation index (<c>msg_conversations</c>); keeps no state of its own.
/// </summary>
public interface IUserConversationsGrain : IGrainWithStringKey
{
    /// <summary>A page of conversations ordered by last activity, newest first; <paramref name="after"/> is the previous page's <c>next</c>.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for a malformed cursor; <c>unavailable</c> when the store does not answer.</exception>
    Task<ConversationPage> ListAsync(string? after, int limit);

    /// <summary>The user's unread messages over all conversations (what the notification badge shows).</summary>
    Task<long> GetUnreadTotalAsync();

    /// <summary>
    /// Marks the conversation (<c>7@user</c> or <c>5@qun</c>) read up to <paramref name="seq"/> (clamped to its last seq; a
    /// read mark never moves back). The user's other sessions (all but <paramref name="bySessionId"/>) get a <c>read</c> event
    /// with the new unread count; in a 1:1 conversation the peer's sessions get a <c>read</c> event naming the last message read.
    /// </summary>
    /// <exception cref="AppMsgException"><c>forbidden</c> for a qun the user is not a member of; <c>validation_failed</c> for another address kind.</exception>
    Task<ReadMark> MarkReadAsync(string conversation, long seq, string? bySessionId);
}
