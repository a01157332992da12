using AppMsg.Statistics;
using Orleans.Concurrency;

namespace AppMsg.Grains.Statistics;

/// <summary>Hands the edges' batches of counts and the API's queries to <see cref="StatsStore"/>.</summary>
[StatelessWorker]
public sealed class StatsGrain(StatsStore store) : Grain, IStatsGrain
{
    public Task RecordAsync(IReadOnlyList<StatsRow> rows) => store.AddAsync(rows);

    public Task<IReadOnlyList<StatsRow>> QueryAsync(StatsQuery query) => store.QueryAsync(query);
}
