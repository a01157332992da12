using System.Globalization;
using AppMsg.Bench.Faults;
using AppMsg.Bench.Report;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// The fault suite (<see cref="FaultSuite"/>) as a bench scenario: AppMsg only, a row per fault window and one for the
/// whole run. A window with a lost message, a gap or a live miss after the bound fails the run (exit code 1).
/// </summary>
public sealed class FaultsScenario(BenchOptions options, string logDirectory) : IScenario
{
    public string? PostgresVersion { get; private set; }

    public async Task<ScenarioReport> RunAsync(CancellationToken cancellationToken)
    {
        var suite = options.FaultSuite;
        var report = new ScenarioReport { Scenario = "faults" };
        report.Parameters["devices"] = suite.Devices;
        report.Parameters["quns"] = suite.Quns;
        report.Parameters["rate"] = suite.Rate;
        report.Parameters["faults"] = suite.Faults.Count == 0 ? "none" : string.Join(",", suite.Faults.Select(f => f.ToString().ToLowerInvariant()));
        report.Parameters["steady_s"] = suite.SteadySeconds;
        report.Parameters["down_s"] = suite.DownSeconds;
        report.Parameters["idle_s"] = suite.IdleSeconds;
        report.Parameters["grain_collection_age_s"] = suite.GrainCollectionAgeSeconds;
        report.Parameters["bound_s"] = suite.BoundSeconds;
        report.Parameters["live_deadline_s"] = suite.LiveDeadlineSeconds;
        var table = new ResultTable
        {
            Title = $"Faults: {suite.Devices:N0} devices on 2 edges, 2 silos, {suite.Rate:N0} messages/s (5 to users, 4 to sessions, 1 to a qun in 10)",
            Columns =
            [
                new("injected_s", "at s", "0.0"),
                new("sent", "sent"),
                new("accepted", "accepted"),
                new("refused", "refused"),
                new("refused_pct", "refused %", "0.00"),
                new("lost", "lost"),
                new("gaps", "gaps"),
                new("duplicates", "dup"),
                new("live_eligible", "live expected"),
                new("live_missed_in_bound", "live missed in bound"),
                new("live_missed_after_bound", "live missed after bound"),
                new("session_live", "session live"),
                new("session_missed", "session missed"),
                new("recovery_s", "recovery s", "0.0"),
            ],
        };
        report.Tables.Add(table);
        try
        {
            var faultSuite = new FaultSuite(suite, Path.Combine(logDirectory, "faults"));
            var result = await faultSuite.RunAsync(cancellationToken);
            PostgresVersion = faultSuite.PostgresVersion;
            foreach (var window in result.Windows.Append(result.Overall))
            {
                table.Rows.Add(Row(window));
            }

            report.Notes.Add($"Devices: {result.Devices:N0}; reconnects {result.Reconnects:N0}; registered at the final SYNC {result.ConnectedAtEnd:N0}; " +
                $"sends the schedule skipped (too many unanswered) {result.NotSent:N0}; unreadable envelopes {result.Unreadable:N0}; envelopes of other timelines {result.OtherTimelines:N0}; traffic {result.TrafficSeconds:0} s.");
            report.Notes.AddRange(result.Notes);
            foreach (var window in result.Windows.Where(w => w.RefusedBy.Count > 0))
            {
                report.Notes.Add($"Refused in '{window.Name}': {string.Join(", ", window.RefusedBy.Select(r => $"{r.Key} {r.Value:N0}"))}.");
            }

            report.Notes.Add("Definitions (docs/faults.md): lost = (accepted message, recipient device) never received after SYNC; gaps = seqs missing below a device's highest; " +
                "live expected = pairs whose device stayed registered from 2 s before the send to the live deadline after the accept; a miss is no live receipt by then; " +
                "'after bound' = sent later than the bound after the injection (always, in the baseline); recovery = injection to the first fully good send after the last failed one.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            table.Rows.Add(new SystemResult { System = "AppMsg", IsAppMsg = true, Status = "STOPPED (timeout or Ctrl-C)" });
        }
        catch (Exception e)
        {
            Infrastructure.ProgressTicker.Say($"faults failed: {e}");
            table.Rows.Add(new SystemResult { System = "AppMsg", IsAppMsg = true, Status = $"FAILED: {e.GetType().Name}: {e.Message.Split('\n')[0]}" });
        }

        return report;
    }

    private static SystemResult Row(WindowFigures window)
    {
        var row = new SystemResult { System = "AppMsg", Variant = window.Name, IsAppMsg = true };
        var problems = new List<string>();
        if (window.Lost > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"LOST {window.Lost:N0}"));
        }

        if (window.Gaps > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"GAPS {window.Gaps:N0}"));
        }

        if (window.LiveMissesAfterBound > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MISSED LIVE {window.LiveMissesAfterBound:N0}"));
        }

        if (problems.Count > 0)
        {
            row.Status = string.Join(", ", problems);
        }

        row.Metrics["injected_s"] = window.InjectedAtSeconds;
        row.Metrics["sent"] = window.Sent;
        row.Metrics["accepted"] = window.Accepted;
        row.Metrics["refused"] = window.Refused;
        row.Metrics["refused_pct"] = window.RefusedPercent;
        row.Metrics["lost"] = window.Lost;
        row.Metrics["gaps"] = window.Gaps;
        row.Metrics["duplicates"] = window.Duplicates;
        row.Metrics["live_eligible"] = window.LiveEligible;
        row.Metrics["live_missed_in_bound"] = window.LiveMissesWithinBound;
        row.Metrics["live_missed_after_bound"] = window.LiveMissesAfterBound;
        row.Metrics["session_live"] = window.SessionLive;
        row.Metrics["session_missed"] = window.SessionMissed;
        row.Metrics["recovery_s"] = window.RecoverySeconds;
        if (window.NotRecovered)
        {
            row.Notes.Add("failures went on to the end of the window: not recovered");
        }

        return row;
    }
}
