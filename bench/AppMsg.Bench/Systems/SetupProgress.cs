using AppMsg.Bench.Infrastructure;

namespace AppMsg.Bench.Systems;

/// <summary>Runs set-up work over many items with bounded concurrency and a progress line.</summary>
public static class SetupProgress
{
    public static async Task ForEachAsync(string phase, int count, int concurrency, Func<int, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        var done = 0;
        await using (new ProgressTicker(phase, () => $"{Volatile.Read(ref done)}/{count}"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    await body(i, token);
                    Interlocked.Increment(ref done);
                });
        }
    }
}
