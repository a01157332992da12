namespace AppMsg.Bench.Report;

/// <summary>A titled table of results, with the AppMsg/peer ratios of its ratio columns.</summary>
public sealed class ResultTable
{
    public required string Title { get; init; }

    public required IReadOnlyList<MetricColumn> Columns { get; init; }

    public List<SystemResult> Rows { get; } = [];
}
