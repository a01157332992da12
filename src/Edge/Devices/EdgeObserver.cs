using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Devices;

/// <summary>Where grains deliver to this edge's connections.</summary>
public sealed class EdgeObserver(DeviceConnections connections, TimelineIndex index) : IEdgeObserver
{
    public async Task PushAsync(IReadOnlyList<string> sessionIds, Delivery message)
    {
        var delivery = new PushDelivery(message.Envelope, message.Timeline, message.Seq, asIm: message.AsIm);
        foreach (var sessionId in sessionIds)
        {
            if (connections.TryGet(sessionId, out var connection))
            {
                await connection.PushAsync(delivery);
            }
        }
    }

    public async Task PublishAsync(Delivery message, int terminalTypes, string? exceptSessionId)
    {
        if (message.Timeline is null)
        {
            return;
        }

        var delivery = new PushDelivery(message.Envelope, message.Timeline, message.Seq, asIm: message.AsIm);
        foreach (var connection in index.Subscribers(message.Timeline))
        {
            if (connection.Session is { } session && (session.TerminalType & terminalTypes) != 0 && session.SessionId != exceptSessionId)
            {
                await connection.PushAsync(delivery);
            }
        }
    }

    public async Task KickAsync(string sessionId, byte reason)
    {
        if (connections.TryGet(sessionId, out var connection))
        {
            await connection.KickAsync((KickReason)reason);
        }
    }
}
