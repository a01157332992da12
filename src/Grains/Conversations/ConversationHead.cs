namespace AppMsg.Grains.Conversations;

/// <summary>
/// One update of the conversation index: a new newest message of (<see cref="Owner"/>, <see cref="Address"/>), and/or the
/// owner's read mark moving to <see cref="ReadSeq"/> (the sender has read what it answered). Owner "" is a qun's shared head.
/// </summary>
public sealed record ConversationHead(
    string Owner,
    string Address,
    long? LastSeq,
    string? MessageId,
    string? Sender,
    DateTimeOffset? LastAt,
    long ReadSeq);
