using AppMsg.Sessions;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// What one sender (a timeline's owner, a user's sessions grain) last sent of its timeline to each edge, so
/// that every delivery names its predecessor (<see cref="Delivery.PreviousSeq"/>) and the edge can restore
/// the order that concurrent one-way calls lose. An edge not sent anything for a minute starts afresh
/// (edges forget a timeline's order after two idle minutes).
/// </summary>
public sealed class EdgeChain
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, (long Seq, DateTime At)> last = new(StringComparer.Ordinal);

    /// <summary>The delivery as sent to the edge process <paramref name="edgeId"/> (<see cref="LiveEdgeSet.ProcessOf"/>): with the seq sent there before it.</summary>
    public Delivery Chain(string edgeId, Delivery delivery)
    {
        if (delivery.Timeline is null)
        {
            return delivery;
        }

        var now = DateTime.UtcNow;
        var previous = last.TryGetValue(edgeId, out var sent) && now - sent.At < Fresh && sent.Seq < delivery.Seq ? sent.Seq : 0;
        last[edgeId] = (delivery.Seq, now);
        if (last.Count > 64)
        {
            foreach (var stale in last.Where(e => now - e.Value.At >= Fresh).Select(e => e.Key).ToList())
            {
                last.Remove(stale);
            }
        }

        return delivery with { PreviousSeq = previous };
    }
}
