using System.Runtime.InteropServices;
using System.Text.Json;
using AppMsg.Bench;
using AppMsg.Bench.Infrastructure;
using AppMsg.Bench.Report;
using AppMsg.Bench.Scenarios;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    if (e.Message.Length > 0)
    {
        Console.Error.WriteLine($"error: {e.Message}");
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return e.Message.Length > 0 ? 2 : 0;
}

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
stop.Token.Register(() => ProgressTicker.Say("stopping: cleaning up every process the tool started"));
var firstInterrupt = 0L;
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    // A second Ctrl-C kills at once; one delivered twice (to the process and to its group) within 2 s does not count.
    if (stop.IsCancellationRequested && firstInterrupt != 0 && System.Diagnostics.Stopwatch.GetElapsedTime(firstInterrupt) > TimeSpan.FromSeconds(2))
    {
        ChildProcesses.KillAll();
        Environment.Exit(130);
    }

    if (firstInterrupt == 0)
    {
        firstInterrupt = System.Diagnostics.Stopwatch.GetTimestamp();
        ProgressTicker.Say("Ctrl-C: stopping (press it again to kill everything at once)");
    }

    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcesses.KillAll();

var logDirectory = Path.Combine(Path.GetTempPath(), $"appmsg-bench-{DateTime.Now:yyyyMMdd-HHmmss}");
var outDirectory = options.OutDirectory ?? Path.Combine(RepoLayout.Root, "bench", "results");
var scenarios = options.Scenario == "all" ? ["fanout", "direct", "connect", "replay"] : new[] { options.Scenario };
var allOk = true;
try
{
    foreach (var name in scenarios)
    {
        IScenario scenario = name switch
        {
            "faults" => new FaultsScenario(options, logDirectory),
            "fanout" => new FanoutScenario(options, logDirectory),
            "direct" => new DirectScenario(options, logDirectory),
            "connect" => new ConnectScenario(options, logDirectory),
            "notify" => new NotifyScenario(options, logDirectory),
            "media" => new MediaScenario(options, logDirectory),
            _ => new ReplayScenario(options, logDirectory),
        };
        ProgressTicker.Say($"{name}: logs of the processes in {logDirectory}");
        if (scenario is NotifyScenario notify)
        {
            await notify.StartReceiverAsync();
        }

        var report = await scenario.RunAsync(stop.Token);
        if (scenario is NotifyScenario notified)
        {
            await notified.StopReceiverAsync();
        }

        var machine = MachineInfo.Collect(scenario.PostgresVersion);
        Console.WriteLine();
        Console.WriteLine(TableRenderer.Render(report, machine));
        System.IO.Directory.CreateDirectory(outDirectory);
        var file = Path.Combine(outDirectory, $"{name}-{report.StartedAt:yyyyMMdd-HHmmss}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            scenario = report.Scenario,
            startedAt = report.StartedAt,
            command = "bench " + string.Join(' ', options.Arguments),
            machine,
            parameters = report.Parameters,
            tables = report.Tables.Select(t => new
            {
                title = t.Title,
                rows = t.Rows.Select(r => new { system = r.System, variant = r.Variant, status = r.Status, metrics = r.Metrics, cpuPercent = r.CpuPercent, notes = r.Notes }),
            }),
            notes = report.Notes,
            markdown = TableRenderer.Render(report, machine),
        }, new JsonSerializerOptions { WriteIndented = true }));
        ProgressTicker.Say($"results written to {file}");
        allOk &= report.AllOk;
        if (stop.IsCancellationRequested)
        {
            break;
        }
    }
}
finally
{
    if (ChildProcesses.Count > 0)
    {
        ProgressTicker.Say($"stopping {ChildProcesses.Count} leftover process(es)");
    }

    ChildProcesses.KillAll();
}

return stop.IsCancellationRequested ? 130 : allOk ? 0 : 1;
