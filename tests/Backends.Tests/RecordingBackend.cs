using System.Collections.Concurrent;
using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

/// <summary>
/// An observer backend inside the test process (an Orleans client too: the edge's), recording what it gets.
/// It acknowledges unless told to throw on its first deliveries.
/// </summary>
public sealed class RecordingBackend(IClusterClient cluster, string appId, BackendSubscription subscription, int failFirst = 0) : IBackendObserver, IAsyncDisposable
{
    private IBackendObserver? reference;
    private int deliveries;

    public ConcurrentQueue<long> Received { get; } = new();

    public ConcurrentQueue<SessionEvent> Events { get; } = new();

    public string Name => subscription.Name;

    public async Task SubscribeAsync()
    {
        reference ??= cluster.CreateObjectReference<IBackendObserver>(this);
        await cluster.GetGrain<IAppUpstreamGrain>(appId).SubscribeAsync(reference, subscription);
    }

    public async Task OnMessagesAsync(string app, IReadOnlyList<UpstreamMessage> messages)
    {
        foreach (var message in messages)
        {
            Received.Enqueue(message.Seq);
        }

        if (Interlocked.Increment(ref deliveries) <= failFirst)
        {
            throw new InvalidOperationException("this backend fails its first deliveries");
        }

        await cluster.GetGrain<IAppUpstreamGrain>(app).AcknowledgeManyAsync(subscription.Name, [.. messages.Select(m => m.Seq)]);
    }

    public async Task OnSessionEventsAsync(string app, IReadOnlyList<SessionEvent> sessionEvents)
    {
        foreach (var sessionEvent in sessionEvents)
        {
            Events.Enqueue(sessionEvent);
        }

        await cluster.GetGrain<IAppUpstreamGrain>(app).AcknowledgeSessionEventsAsync(subscription.Name, [.. sessionEvents.Select(e => e.Seq)]);
    }

    public Task<List<long>> WaitForAsync(Func<List<long>, bool> condition, string what) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Received.ToList()), condition, TimeSpan.FromSeconds(30), what);

    public async ValueTask DisposeAsync()
    {
        if (reference is not null)
        {
            await cluster.GetGrain<IAppUpstreamGrain>(appId).UnsubscribeAsync(subscription.Name);
            cluster.DeleteObjectReference<IBackendObserver>(reference);
        }
    }
}
