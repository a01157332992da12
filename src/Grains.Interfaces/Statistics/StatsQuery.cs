namespace AppMsg.Statistics;

/// <summary>Rows of a tenant (all its apps and its own counts together) or of one app, from <paramref name="From"/> (inclusive) to <paramref name="To"/> (exclusive).</summary>
[GenerateSerializer, Immutable]
public sealed record StatsQuery(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string? AppId,
    [property: Id(2)] DateTimeOffset From,
    [property: Id(3)] DateTimeOffset To,
    [property: Id(4)] StatsGranularity Granularity)
{
    /// <summary>The longest range one query may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);
}
