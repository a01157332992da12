namespace AppMsg.Client.Internal;

/// <summary>What a gap SYNC sends and settles.</summary>
/// <param name="Cursors">The last contiguous seq of each known timeline (at most 1024; those with gaps first).</param>
/// <param name="Tops">Per timeline with a gap, the highest seq seen when the SYNC left: after a complete answer, what is still missing below it will not come.</param>
internal sealed record TimelineGaps(IReadOnlyDictionary<string, long> Cursors, IReadOnlyDictionary<string, long> Tops);
