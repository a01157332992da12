namespace AppMsg.Grains.Quotas;

/// <summary>
/// How large a block an edge is granted: a quarter of what is left split over the edges that take from the quota,
/// at most <see cref="MaxBlock"/>. Blocks shrink towards 1 as the limit nears, so what edges hold unused at the end
/// (the under-admission until they give it back) is small.
/// </summary>
internal static class QuotaBlocks
{
    public const long MaxBlock = 1_000;

    /// <summary>Connection slots an edge may hold spare.</summary>
    public const long MaxConnectionBlock = 64;

    public static long Of(long needed, long left, int edges, long max) =>
        Math.Min(left, Math.Max(needed, Math.Min(left / (4L * Math.Max(1, edges)), max)));
}
