using AppMsg.Sessions;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// This silo's copy of the live edges, re-read from the registry at most once a second, so delivering a
/// message does not cost a call to the one registry grain. An edge that just died may still be called
/// for a second (the calls are one-way); a new edge is seen within a second, and its terminals replay
/// what they missed at REGISTER.
/// </summary>
public sealed class LiveEdges(IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinAge = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim refresh = new(1, 1);
    private IReadOnlyDictionary<string, IEdgeObserver> edges = new Dictionary<string, IEdgeObserver>();
    private DateTimeOffset readAt = DateTimeOffset.MinValue;

    /// <summary>
    /// The live edges by id; <paramref name="fresh"/> re-reads the registry unless the copy is under 100 ms old (an
    /// edge id not seen yet may be new).
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, IEdgeObserver>> GetAsync(bool fresh = false)
    {
        var readBefore = readAt;
        var age = clock.GetUtcNow() - readBefore;
        if (age < MinAge || (!fresh && age < MaxAge))
        {
            return edges;
        }

        await refresh.WaitAsync();
        try
        {
            // Someone else's read that began after our call started is fresh enough.
            if (readAt == readBefore && (fresh || clock.GetUtcNow() - readAt >= MaxAge))
            {
                edges = await grains.GetGrain<IEdgeRegistryGrain>(0).GetLiveEdgesAsync();
                readAt = clock.GetUtcNow();
            }

            return edges;
        }
        finally
        {
            refresh.Release();
        }
    }
}
