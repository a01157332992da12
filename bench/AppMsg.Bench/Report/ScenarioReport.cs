namespace AppMsg.Bench.Report;

/// <summary>Everything one scenario run produced: parameters, machine, tables, notes.</summary>
public sealed class ScenarioReport
{
    public required string Scenario { get; init; }

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.Now;

    public Dictionary<string, object> Parameters { get; } = [];

    public List<ResultTable> Tables { get; } = [];

    public List<string> Notes { get; } = [];

    public bool AllOk => Tables.All(t => t.Rows.All(r => r.IsOk || r.Status.StartsWith("n/a", StringComparison.Ordinal)));
}
