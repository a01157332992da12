using AppMsg.Sessions;
using Microsoft.Extensions.Logging;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// This silo's copy of the live edges, re-read from the registry at most once a second, so delivering a message does
/// not cost a call to the one registry grain. When the registry cannot be read (its silo just died), the last copy
/// stays in use: an edge that just died may still be called for a while (its outboxes give up after a timeout), but no live edge is
/// ever forgotten for the registry's sake. A new edge is seen within a second.
/// </summary>
public sealed partial class LiveEdges(IGrainFactory grains, TimeProvider clock, ILogger<LiveEdges> logger)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinAge = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);
    private readonly Lock sync = new();
    private LiveEdgeSet edges = LiveEdgeSet.Unknown;
    private DateTimeOffset readAt = DateTimeOffset.MinValue;
    private Task<LiveEdgeSet>? reading;

    /// <summary>
    /// The live edges; <paramref name="fresh"/> re-reads the registry unless the copy is under 100 ms old (an edge id
    /// not seen yet may be new). Waits for a read only when it has no copy, or when asked for a fresh one.
    /// </summary>
    public async ValueTask<LiveEdgeSet> GetAsync(bool fresh = false)
    {
        Task<LiveEdgeSet> read;
        lock (sync)
        {
            var age = clock.GetUtcNow() - readAt;
            if (age < MinAge || (!fresh && age < MaxAge))
            {
                return edges;
            }

            read = reading ??= ReadAsync();
            if (!fresh && edges.IsKnown)
            {
                return edges;
            }
        }

        return await read;
    }

    private async Task<LiveEdgeSet> ReadAsync()
    {
        // Run the rest outside the caller's lock.
        await Task.Yield();
        try
        {
            var read = new LiveEdgeSet(await grains.GetGrain<IEdgeRegistryGrain>(0).GetLiveEdgesAsync().WaitAsync(ReadTimeout, clock));
            lock (sync)
            {
                edges = read;
                readAt = clock.GetUtcNow();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRegistryUnreadable(logger, e.Message);
            lock (sync)
            {
                // Try again after a short while, not on every call.
                readAt = clock.GetUtcNow() - MaxAge + TimeSpan.FromMilliseconds(250);
            }
        }
        finally
        {
            lock (sync)
            {
                reading = null;
            }
        }

        return edges;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The edge registry could not be read; using the last copy: {Reason}")]
    private static partial void LogRegistryUnreadable(ILogger logger, string reason);
}
