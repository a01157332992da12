namespace AppMsg.Statistics;

/// <summary>
/// Writes and reads the statistics table. Edges count in memory and hand over their counts every few seconds in one
/// call, written in one statement. A stateless worker: use key 0.
/// </summary>
public interface IStatsGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the counts (and raises the peaks) of each row's tenant, app and hour.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when the database does not answer.</exception>
    Task RecordAsync(IReadOnlyList<StatsRow> rows);

    /// <summary>The rows that have counts in the range, oldest first.</summary>
    Task<IReadOnlyList<StatsRow>> QueryAsync(StatsQuery query);
}
