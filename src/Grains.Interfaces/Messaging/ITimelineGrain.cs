namespace AppMsg.Messaging;

/// <summary>
/// The owner of one timeline (keyed by its address: <c>42@user</c> for an inbox, <c>7@qun</c>, ...):
/// numbers its messages 1, 2, 3, ... without gaps, stores each before answering, then pushes it to the
/// online terminals.
/// </summary>
public interface ITimelineGrain : IGrainWithStringKey
{
    /// <summary>Validates, stores and pushes a message; the receipt comes after the commit.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for bad content or TTL; <c>unavailable</c> when the store does not answer.</exception>
    Task<MessageReceipt> AppendAsync(NewMessage message);

    /// <summary>
    /// Stores a user's 1:1 message in the sender's own inbox (this grain is the sender's <c>id@user</c>) and sends it to the
    /// sender's sessions except the one that sent it (which passes over it).
    /// </summary>
    Task<MessageReceipt> AppendSenderCopyAsync(SenderCopy copy);

    /// <summary>
    /// Recalls the message at <paramref name="seq"/>: its stored content is replaced by a tombstone (type <c>recalled</c>) and a
    /// <c>recall</c> notice <c>{"id","seq","by"}</c> is appended, so online terminals learn it live and others on replay.
    /// False when it was recalled already (or is not stored).
    /// </summary>
    Task<bool> RecallAsync(long seq, string messageId, string recalledBy);

    /// <summary>
    /// Sends a transient event (never stored, never replayed) to the online terminals of this timeline: a user's sessions, or a
    /// qun's subscribers; all but <paramref name="exceptSessionId"/>.
    /// </summary>
    Task SignalAsync(byte[] envelope, string? exceptSessionId);

    /// <summary>Messages after <paramref name="afterSeq"/>, oldest first, expired ones skipped.</summary>
    Task<TimelinePage> ReadAsync(long afterSeq, int limit);

    /// <summary>
    /// Called by an edge: it has terminals subscribed to this (qun) timeline, so live messages must be sent
    /// to it. Renewed every <see cref="EdgeWatch.RenewPeriod"/>; <paramref name="generation"/> increases with
    /// each of the edge's changes, so a late <see cref="RemoveEdgeAsync"/> cannot undo a newer registration.
    /// </summary>
    Task AddEdgeAsync(string edgeId, long generation);

    /// <summary>Called by an edge: its last subscriber of this timeline left.</summary>
    Task RemoveEdgeAsync(string edgeId, long generation);
}
