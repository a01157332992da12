namespace AppMsg.Statistics;

/// <summary>Counts of one tenant (and app, or '' for none) in one UTC hour or day, indexed by <see cref="StatsCounter"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record StatsRow(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string AppId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] long[] Counts)
{
    /// <summary>How many counters there are.</summary>
    public const int CounterCount = (int)StatsCounter.NotificationsPruned + 1;

    /// <summary>The count of one counter.</summary>
    public long this[StatsCounter counter] => Counts[(int)counter];
}
