namespace AppMsg.Conversations;

/// <summary>One conversation as its user sees it.</summary>
/// <param name="Address">The peer (<c>7@user</c>, <c>3@app</c>) or the qun (<c>5@qun</c>).</param>
/// <param name="LastMessage">The newest message's envelope (UTF-8 JSON, as devices receive it; a recalled one as its tombstone), null if none.</param>
/// <param name="Unread">Messages from others after the user's read mark.</param>
/// <param name="LastSeq">The newest message's seq in the timeline read marks refer to (the user's inbox for 1:1, the qun's).</param>
/// <param name="ReadSeq">The user's read mark in that timeline.</param>
/// <param name="PeerReadAtMs">1:1 only: the peer has read the user's messages sent up to this time (unix ms), 0 if none.</param>
/// <param name="LastAt">When the newest message was stored (the order of the list).</param>
[GenerateSerializer, Immutable]
public sealed record ConversationSummary(
    [property: Id(0)] string Address,
    [property: Id(1)] byte[]? LastMessage,
    [property: Id(2)] long Unread,
    [property: Id(3)] long LastSeq,
    [property: Id(4)] long ReadSeq,
    [property: Id(5)] long PeerReadAtMs,
    [property: Id(6)] DateTimeOffset LastAt);
