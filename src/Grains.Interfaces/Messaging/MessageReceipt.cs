namespace AppMsg.Messaging;

/// <summary>Where a stored message sits: given only after it is durably stored.</summary>
/// <param name="Id">The message id.</param>
/// <param name="Timeline">The timeline it is stored in.</param>
/// <param name="Seq">Its number there.</param>
/// <param name="SenderCopySeq">For a user's 1:1 message: the seq of its copy in the sender's own inbox (docs/messaging.md), so the
/// sending terminal, which is not sent the copy, does not take that seq for a gap.</param>
[GenerateSerializer, Immutable]
public sealed record MessageReceipt(
    [property: Id(0)] string Id,
    [property: Id(1)] string Timeline,
    [property: Id(2)] long Seq,
    [property: Id(3)] long? SenderCopySeq = null);
