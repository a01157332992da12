namespace AppMsg.Conversations;

/// <summary>
/// A stored message, by its id (a stateless worker keyed by message id): where it is, recalling it, and who read it.
/// A 1:1 message from a user is stored twice under one id (the addressee's inbox and the sender's copy).
/// </summary>
public interface IStoredMessageGrain : IGrainWithStringKey
{
    /// <summary>The message's original row (not the sender copy), without its envelope; null when not stored (or expired and pruned).</summary>
    Task<StoredMessageInfo?> GetAsync();

    /// <summary>
    /// Replaces the content of every stored copy with a tombstone (type <c>recalled</c>) and appends a <c>recall</c> notice to
    /// each timeline it is in, so online terminals get it live and the others on replay. Recalling twice does nothing more.
    /// Who may recall and when is the caller's check (<see cref="RecallRules"/>).
    /// </summary>
    Task RecallAsync(string recalledBy);

    /// <summary>For a qun message: how many members have read it (read mark at or past its seq), and the member count.</summary>
    Task<MessageReads> CountReadsAsync();
}
