using AppMsg.Sessions;
using Microsoft.Extensions.Logging;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// One sender grain's way to the edges: per edge process (<see cref="LiveEdgeSet.ProcessOf"/>) a queue with at most one
/// <see cref="IEdgeObserver.DeliverAsync"/> call in flight; whatever queued while a call ran goes out as the next call's
/// batch. So each edge receives this sender's deliveries in the order they were queued, by construction, and a busy
/// sender makes fewer, larger calls. Lives in its grain and runs on its scheduler, so it needs no lock.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="MaxQueued"/> deliveries wait per edge (more are dropped and logged: the messages are
/// stored, and terminals get them by replay); a call that has not returned after <see cref="CallTimeout"/> is given up
/// (its edge is dying or stalled) and the next batch goes.
/// </remarks>
public sealed partial class EdgeOutboxes(ILogger logger)
{
    public const int MaxQueued = 10_000;
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Outbox> byProcess = new(StringComparer.Ordinal);

    /// <summary>Edge processes with deliveries queued or in flight.</summary>
    public int Active => byProcess.Count;

    /// <summary>Queues a delivery for the edge process; it goes out at once when no call to that edge is in flight.</summary>
    public void Send(string process, IEdgeObserver edge, EdgeDelivery delivery)
    {
        if (byProcess.TryGetValue(process, out var outbox))
        {
            if (outbox.Queued.Count >= MaxQueued)
            {
                LogDropped(logger, process, delivery.Delivery.Timeline, delivery.Delivery.Seq);
                return;
            }

            outbox.Queued.Add(delivery);
            return;
        }

        outbox = new Outbox(edge);
        outbox.Queued.Add(delivery);
        byProcess[process] = outbox;
        _ = FlushAsync(process, outbox);
    }

    private async Task FlushAsync(string process, Outbox outbox)
    {
        while (outbox.Queued.Count > 0)
        {
            var batch = outbox.Queued;
            outbox.Queued = [];
            try
            {
                await outbox.Edge.DeliverAsync(batch).WaitAsync(CallTimeout);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Live delivery is best effort: the messages are stored, and the terminals get them by replay.
                LogCallFailed(logger, process, batch.Count, e.Message);
            }
        }

        byProcess.Remove(process);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge {Process} has too many deliveries queued; dropped {Timeline}#{Seq} (terminals get it by replay)")]
    private static partial void LogDropped(ILogger logger, string process, string? timeline, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge {Process} did not take a batch of {Count} deliveries: {Reason} (terminals get them by replay)")]
    private static partial void LogCallFailed(ILogger logger, string process, int count, string reason);

    private sealed class Outbox(IEdgeObserver edge)
    {
        public IEdgeObserver Edge { get; } = edge;

        public List<EdgeDelivery> Queued { get; set; } = [];
    }
}
