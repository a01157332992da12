using AppMsg.Bench.Report;

namespace AppMsg.Bench.Scenarios;

/// <summary>What the tool runs for a scenario name: a report, and the PostgreSQL version it ran on (for the machine line).</summary>
public interface IScenario
{
    string? PostgresVersion { get; }

    Task<ScenarioReport> RunAsync(CancellationToken cancellationToken);
}
