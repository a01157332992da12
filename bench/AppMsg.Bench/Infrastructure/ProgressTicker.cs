using System.Diagnostics;

namespace AppMsg.Bench.Infrastructure;

/// <summary>Prints a progress line (to stderr) about every second while a phase runs.</summary>
public sealed class ProgressTicker : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly long started = Stopwatch.GetTimestamp();

    public ProgressTicker(string phase, Func<string> status)
    {
        loop = RunAsync(phase, status);
    }

    public static void Say(string text) => Console.Error.WriteLine($"[bench] {text}");

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task RunAsync(string phase, Func<string> status)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                Console.Error.WriteLine($"[bench] {phase} {Stopwatch.GetElapsedTime(started).TotalSeconds,5:0}s  {status()}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
