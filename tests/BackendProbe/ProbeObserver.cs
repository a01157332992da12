using System.Text.Json;
using AppMsg.Backends;

namespace AppMsg.BackendProbe;

/// <summary>
/// Prints every message and session event as one JSON line on stdout and acknowledges them (not with <c>--no-ack</c>).
/// With <c>--fail-first n</c> it throws on its first n deliveries instead (to show redelivery).
/// </summary>
public sealed class ProbeObserver(IGrainFactory grains, ProbeOptions options, ProbeOutput output) : IBackendObserver
{
    private int deliveries;

    public async Task OnMessagesAsync(string appId, IReadOnlyList<UpstreamMessage> messages)
    {
        if (Interlocked.Increment(ref deliveries) <= options.FailFirst)
        {
            output.Write(new { @event = "failing", seqs = messages.Select(m => m.Seq).ToList() });
            throw new InvalidOperationException("the probe was told to fail this delivery");
        }

        foreach (var message in messages)
        {
            using var envelope = JsonDocument.Parse(message.Envelope);
            output.Write(new { @event = "message", appId, seq = message.Seq, from = message.From, message = envelope.RootElement });
        }

        if (!options.NoAck)
        {
            await grains.GetGrain<IAppUpstreamGrain>(appId).AcknowledgeManyAsync(options.Subscription.Name, [.. messages.Select(m => m.Seq)]);
        }
    }

    public async Task OnSessionEventsAsync(string appId, IReadOnlyList<SessionEvent> sessionEvents)
    {
        foreach (var sessionEvent in sessionEvents)
        {
            output.Write(new
            {
                @event = "session",
                appId,
                id = sessionEvent.Id,
                seq = sessionEvent.Seq,
                type = sessionEvent.Kind == SessionEventKind.Online ? "online" : "offline",
                userId = sessionEvent.UserId,
                sessionId = sessionEvent.SessionId,
                terminalType = sessionEvent.TerminalType,
                edgeId = sessionEvent.EdgeId,
            });
        }

        if (!options.NoAck)
        {
            await grains.GetGrain<IAppUpstreamGrain>(appId).AcknowledgeSessionEventsAsync(options.Subscription.Name, [.. sessionEvents.Select(e => e.Seq)]);
        }
    }
}
