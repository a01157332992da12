using AppMsg.Sessions;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// Asks edges which sessions users hold there, for the user session lists that activate afresh: per edge process one
/// call in flight at a time, carrying every user asked meanwhile (at most <see cref="MaxBatch"/>), so a reconnect
/// storm costs each edge a call per batch rather than one per device. One per silo; thread-safe.
/// </summary>
public sealed class EdgeSessionQueries(TimeProvider clock)
{
    public const int MaxBatch = 512;

    // A user asked of an edge waits here at most this many batches' worth; beyond it the ask fails at once (the
    // session list asks again on its next call).
    public const int MaxWaiting = 20_000;

    private readonly Dictionary<string, EdgeQueue> byProcess = new(StringComparer.Ordinal);

    /// <summary>The user's sessions on the edge, asked together with other users' in one call.</summary>
    /// <exception cref="TimeoutException">The edge did not answer within <see cref="EdgeLiveness.QueryTimeout"/>.</exception>
    public Task<IReadOnlyList<SessionInfo>> AskAsync(LiveEdge edge, string userId)
    {
        var ask = new Ask(userId);
        var process = $"{edge.EdgeId}#{edge.Incarnation}";
        EdgeQueue? start = null;
        lock (byProcess)
        {
            if (!byProcess.TryGetValue(process, out var queue))
            {
                byProcess[process] = start = queue = new EdgeQueue(edge.Observer);
            }

            if (queue.Waiting.Count >= MaxWaiting)
            {
                return Task.FromException<IReadOnlyList<SessionInfo>>(new TimeoutException($"edge {edge.EdgeId} has {MaxWaiting} session queries waiting"));
            }

            queue.Waiting.Add(ask);
        }

        if (start is not null)
        {
            // Off the calling grain's scheduler: the loop serves every grain of the silo.
            _ = Task.Run(() => RunAsync(process, start));
        }

        return ask.Answer.Task;
    }

    private async Task RunAsync(string process, EdgeQueue queue)
    {
        while (true)
        {
            List<Ask> batch;
            lock (byProcess)
            {
                if (queue.Waiting.Count == 0)
                {
                    byProcess.Remove(process);
                    return;
                }

                var take = Math.Min(queue.Waiting.Count, MaxBatch);
                batch = queue.Waiting.GetRange(0, take);
                queue.Waiting.RemoveRange(0, take);
            }

            try
            {
                var userIds = new string[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    userIds[i] = batch[i].UserId;
                }

                var held = await queue.Edge.GetSessionsOfUsersAsync(userIds).WaitAsync(EdgeLiveness.QueryTimeout, clock);
                var byUser = held.GroupBy(s => s.UserId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<SessionInfo>)[.. g], StringComparer.Ordinal);
                foreach (var ask in batch)
                {
                    ask.Answer.TrySetResult(byUser.GetValueOrDefault(ask.UserId) ?? []);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                foreach (var ask in batch)
                {
                    ask.Answer.TrySetException(e);
                }
            }
        }
    }

    private sealed class EdgeQueue(IEdgeObserver edge)
    {
        public IEdgeObserver Edge { get; } = edge;

        public List<Ask> Waiting { get; } = [];
    }

    private sealed class Ask(string userId)
    {
        public string UserId { get; } = userId;

        public TaskCompletionSource<IReadOnlyList<SessionInfo>> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
