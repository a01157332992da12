namespace AppMsg.Grains;

/// <summary>
/// The one rule for calls to many grains at once (a qun's members, a user's tokens, an edge's cursor batch):
/// at most <see cref="Concurrency"/> calls of one fan-out are in flight, whatever the number of targets. Each
/// call may activate a grain and write its state, which takes a connection from the silo's pools; bounded
/// fan-outs keep a large group's change from emptying the pools for everyone else (docs/resources.md).
/// </summary>
/// <remarks>
/// The calls start on the caller's scheduler (the grain's), as a sliding window: a slow target holds one slot,
/// not a whole batch. The first failure stops new calls; the calls in flight finish, then it is thrown.
/// </remarks>
public static class FanOut
{
    /// <summary>Calls in flight per fan-out: well under the pools' default sizes (30 each).</summary>
    public const int Concurrency = 16;

    /// <summary>Calls <paramref name="call"/> for every item, at most <see cref="Concurrency"/> at once.</summary>
    public static Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> call) =>
        RunAsync(items.Count, i => call(items[i]));

    /// <summary>Calls <paramref name="call"/> for every item, at most <see cref="Concurrency"/> at once; results in the items' order.</summary>
    public static async Task<TResult[]> SelectAsync<T, TResult>(IReadOnlyList<T> items, Func<T, Task<TResult>> call)
    {
        var results = new TResult[items.Count];
        await RunAsync(items.Count, async i => results[i] = await call(items[i]));
        return results;
    }

    private static async Task RunAsync(int count, Func<int, Task> call)
    {
        if (count == 0)
        {
            return;
        }

        var next = -1;
        var failed = false;
        async Task WorkerAsync()
        {
            int i;
            while (!Volatile.Read(ref failed) && (i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    await call(i);
                }
                catch
                {
                    Volatile.Write(ref failed, true);
                    throw;
                }
            }
        }

        var workers = new Task[Math.Min(Concurrency, count)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkerAsync();
        }

        await Task.WhenAll(workers);
    }
}
