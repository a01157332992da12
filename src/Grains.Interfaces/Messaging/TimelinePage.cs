namespace AppMsg.Messaging;

/// <summary>Stored messages of a timeline in seq order, as envelopes (UTF-8 JSON).</summary>
/// <param name="Envelopes">The envelopes, each the JSON object devices receive.</param>
/// <param name="Seqs">The seq of each envelope.</param>
/// <param name="Senders">The sender address of each envelope.</param>
/// <param name="TerminalTypes">The terminal-type mask each message was sent to.</param>
/// <param name="ExpiresAtMs">When each message expires (unix ms), 0 for never.</param>
/// <param name="NextAfter">Pass as <c>after</c> for the next page, or null when this was the last one.</param>
[GenerateSerializer, Immutable]
public sealed record TimelinePage(
    [property: Id(0)] IReadOnlyList<byte[]> Envelopes,
    [property: Id(1)] long? NextAfter,
    [property: Id(2)] IReadOnlyList<long> Seqs,
    [property: Id(3)] IReadOnlyList<string> Senders,
    [property: Id(4)] IReadOnlyList<int> TerminalTypes,
    [property: Id(5)] IReadOnlyList<long>? ExpiresAtMs = null);
