using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

/// <summary>The backend probe (tests/BackendProbe) running as a second process: an Orleans client of the test cluster.</summary>
public sealed class ProbeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output;

    private ProbeProcess(Process process, StringBuilder output)
    {
        this.process = process;
        this.output = output;
    }

    public static async Task<ProbeProcess> StartAsync(BackendSystem system, string appId, string name, params string[] extra)
    {
        var probe = typeof(BackendProbe.ProbeOptions).Assembly.Location;
        var process = ProcessRunner.Start("dotnet", [probe, "--connection", system.Deployment.ConnectionString, "--cluster", system.Deployment.ClusterId,
            "--app", appId, "--name", name, .. extra], null, out var output);
        var started = new ProbeProcess(process, output);
        await Eventually.ReturnsAsync(() => Task.FromResult(started.Lines()), l => l.Any(e => e.GetProperty("event").GetString() == "subscribed"),
            TimeSpan.FromSeconds(60), $"the probe subscribed; output: {started.Output}");
        return started;
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The JSON lines it printed so far.</summary>
    public List<JsonElement> Lines() =>
    [
        .. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement),
    ];

    /// <summary>The seqs of the messages it printed, in the order it got them.</summary>
    public List<long> Seqs() => [.. Lines().Where(l => l.GetProperty("event").GetString() == "message").Select(l => l.GetProperty("seq").GetInt64())];

    public Task<List<long>> WaitForSeqsAsync(Func<List<long>, bool> condition, string what) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Seqs()), condition, TimeSpan.FromSeconds(40), $"{what}; probe output: {Output}");

    /// <summary>Kills the process, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }
}
