using System.Diagnostics;
using AppMsg.Bench.Faults;
using AppMsg.Bench.Infrastructure;
using Xunit.Abstractions;

namespace AppMsg.Faults.Tests;

/// <summary>
/// The fault suite with small figures: 100 devices, 50 messages/s, a silo kill, an edge kill, a PostgreSQL
/// crash-restart and an idle period longer than the grain collection age. Nothing accepted may be lost, no device may
/// hold a gap, and after each fault's bound every connected device must get its messages live again.
/// </summary>
public sealed class ShortFaultRunTests(ITestOutputHelper output)
{
    private static readonly FaultSuiteOptions ShortRun = new()
    {
        Devices = 100,
        Quns = 4,
        Rate = 50,
        Faults = [FaultKind.Silo, FaultKind.Edge, FaultKind.Postgres, FaultKind.Idle],
        SteadySeconds = 16,
        DownSeconds = 3,
        IdleSeconds = 20,
        GrainCollectionAgeSeconds = 10,
        BoundSeconds = 10,
        LiveDeadlineSeconds = 4,
        SetupConcurrency = 32,
        Progress = false,
    };

    [Fact]
    public async Task Nothing_is_lost_and_live_delivery_recovers_within_the_bound_after_each_fault()
    {
        var logs = Path.Combine(Path.GetTempPath(), $"appmsg-faults-test-{DateTime.Now:yyyyMMdd-HHmmss}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var started = Stopwatch.GetTimestamp();
        FaultSuiteResult result;
        try
        {
            result = await new FaultSuite(ShortRun, logs).RunAsync(timeout.Token);
        }
        finally
        {
            ChildProcesses.KillAll();
        }

        output.WriteLine($"fault suite: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s; process logs and findings.csv in {logs}");
        foreach (var window in result.Windows.Append(result.Overall))
        {
            output.WriteLine(Describe(window));
        }

        Assert.Equal(result.Devices, result.ConnectedAtEnd);
        Assert.True(result.Overall.Lost == 0, $"lost {result.Overall.Lost} (message, device) pairs; see {logs}/findings.csv");
        Assert.True(result.Overall.Gaps == 0, $"{result.Overall.Gaps} gaps after SYNC; see {logs}/findings.csv");
        Assert.True(result.Overall.LiveMissesAfterBound == 0,
            $"live misses after the bound: {string.Join(", ", result.Windows.Where(w => w.LiveMissesAfterBound > 0).Select(w => $"{w.Name} {w.LiveMissesAfterBound}"))}; see {logs}/findings.csv");
    }

    private static string Describe(WindowFigures w) =>
        $"{w.Name}: sent {w.Sent}, accepted {w.Accepted}, refused {w.Refused} ({w.RefusedPercent:0.0}%: {string.Join(", ", w.RefusedBy.Select(r => $"{r.Key} {r.Value}"))}), " +
        $"lost {w.Lost}, gaps {w.Gaps}, dup {w.Duplicates}, live expected {w.LiveEligible}, live missed {w.LiveMissesWithinBound} in bound / {w.LiveMissesAfterBound} after, " +
        $"session live {w.SessionLive} / missed {w.SessionMissed}, recovery {(w.RecoverySeconds is { } r ? $"{r:0.0} s" : w.NotRecovered ? "not recovered" : "-")}";
}
