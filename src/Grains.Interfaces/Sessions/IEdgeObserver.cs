using Orleans.Concurrency;

namespace AppMsg.Sessions;

/// <summary>
/// An edge's inbox: grains deliver frames for its connections here, and ask it which sessions it holds (the edge is the
/// source of truth for its connections). Membership and mute changes reach every live edge here too. One observer per edge.
/// </summary>
public interface IEdgeObserver : AppMsg.Directory.IMembershipObserver
{
    /// <summary>The user's registered sessions on this edge (a grain activated afresh learns its sessions here).</summary>
    Task<IReadOnlyList<SessionInfo>> GetSessionsOfUserAsync(string userId);

    /// <summary>The session, if this edge holds it registered.</summary>
    Task<SessionInfo?> FindSessionAsync(string sessionId);

    /// <summary>
    /// Sends a PUSH (or IM) of the delivery to the sessions, if they are connected to this edge; the
    /// <paramref name="passOver"/> sessions do not get it (outside its terminal mask or session filter), but their
    /// acknowledgement cursors move past it.
    /// </summary>
    [OneWay]
    Task PushAsync(IReadOnlyList<string> sessionIds, Delivery delivery, IReadOnlyList<string>? passOver = null);

    /// <summary>
    /// A group message: the edge sends it once to each of its connections subscribed to any of the
    /// <paramref name="audiences"/> (see <see cref="AppMsg.Messaging.Audiences"/>) whose terminal type is in
    /// <paramref name="terminalTypes"/>, except <paramref name="exceptSessionId"/> (the terminal that sent it) and,
    /// when <paramref name="onlySessions"/> is set, only to those sessions. One call per edge, however many
    /// members the group has.
    /// </summary>
    [OneWay]
    Task PublishAsync(Delivery delivery, IReadOnlyList<string> audiences, int terminalTypes, string? exceptSessionId, IReadOnlyList<string>? onlySessions);

    /// <summary>Sends KICK with the reason and closes the session's connection.</summary>
    [OneWay]
    Task KickAsync(string sessionId, byte reason);

    /// <summary>
    /// Sends a CALLBACK whose body is <paramref name="payloadJson"/> (<c>{"id","payload"}</c>) to the sessions, if they
    /// are connected to this edge; their CBRESP goes to the <see cref="AppMsg.Backends.ICallbackGrain"/> of <paramref name="callbackId"/>.
    /// </summary>
    [OneWay]
    Task CallbackAsync(IReadOnlyList<string> sessionIds, string callbackId, byte[] payloadJson);
}
