using Orleans.Concurrency;

namespace AppMsg.Sessions;

/// <summary>An edge's inbox: grains deliver frames for its connections here. One observer per edge.</summary>
public interface IEdgeObserver : IGrainObserver
{
    /// <summary>Sends a PUSH of the delivery to the sessions, if they are connected to this edge.</summary>
    [OneWay]
    Task PushAsync(IReadOnlyList<string> sessionIds, Delivery delivery);

    /// <summary>
    /// A group message: the edge sends it to each of its connections subscribed to the delivery's
    /// timeline whose terminal type is in <paramref name="terminalTypes"/>, except <paramref name="exceptSessionId"/>
    /// (the terminal that sent it). One call per edge, however many members the group has.
    /// </summary>
    [OneWay]
    Task PublishAsync(Delivery delivery, int terminalTypes, string? exceptSessionId);

    /// <summary>Sends KICK with the reason and closes the session's connection.</summary>
    [OneWay]
    Task KickAsync(string sessionId, byte reason);
}
