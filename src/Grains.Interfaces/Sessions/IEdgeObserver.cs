using Orleans.Concurrency;

namespace AppMsg.Sessions;

/// <summary>An edge's inbox: grains deliver frames for its connections here. One observer per edge.</summary>
public interface IEdgeObserver : IGrainObserver
{
    /// <summary>Sends a PUSH with this envelope (UTF-8 JSON) to the sessions, if they are connected to this edge.</summary>
    [OneWay]
    Task PushAsync(IReadOnlyList<string> sessionIds, byte[] envelope);

    /// <summary>Sends KICK with the reason and closes the session's connection.</summary>
    [OneWay]
    Task KickAsync(string sessionId, byte reason);
}
