using System.Diagnostics;

namespace AppMsg.Bench.Infrastructure;

/// <summary>CPU used by the processes of a run over a window, in percent of one core (200 % = both cores of a 2-core machine).</summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyList<(string Name, Func<double> Seconds)> sources;
    private double[] start = [];
    private long startTimestamp;

    public CpuMeter(IEnumerable<(string Name, Func<double> Seconds)> sources)
    {
        var own = Process.GetCurrentProcess();
        this.sources = [.. sources, ("load generator", () => { own.Refresh(); return own.TotalProcessorTime.TotalSeconds; })];
    }

    public void Start()
    {
        start = [.. sources.Select(s => s.Seconds())];
        startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>CPU seconds each process used between <see cref="Start"/> and the last <see cref="Stop"/>.</summary>
    public Dictionary<string, double> Seconds { get; } = [];

    /// <summary>Percent of one core per process since <see cref="Start"/>.</summary>
    public Dictionary<string, double> Stop()
    {
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        var result = new Dictionary<string, double>();
        for (var i = 0; i < sources.Count; i++)
        {
            var used = sources[i].Seconds() - start[i];
            Seconds[sources[i].Name] = used;
            result[sources[i].Name] = elapsed > 0 ? Math.Round(100 * used / elapsed) : 0;
        }

        return result;
    }
}
