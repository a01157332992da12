namespace AppMsg.Messaging;

/// <summary>Where a stored message sits: given only after it is durably stored.</summary>
[GenerateSerializer, Immutable]
public sealed record MessageReceipt(
    [property: Id(0)] string Id,
    [property: Id(1)] string Timeline,
    [property: Id(2)] long Seq);
