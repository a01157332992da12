using Orleans.Concurrency;

namespace AppMsg.Sessions;

/// <summary>
/// An edge's inbox: grains deliver frames for its connections here, and ask it which sessions it holds (the edge is the
/// source of truth for its connections). Membership and mute changes reach every live edge here too. One observer per edge.
/// </summary>
public interface IEdgeObserver : AppMsg.Directory.IMembershipObserver
{
    /// <summary>
    /// The registered sessions on this edge of each of the users, in one list (a user session list activated afresh
    /// learns its sessions here; the silo asks for many users at once).
    /// </summary>
    Task<IReadOnlyList<SessionInfo>> GetSessionsOfUsersAsync(IReadOnlyList<string> userIds);

    /// <summary>
    /// For each user, in the order given, the terminal types (OR of the bits) of its registered sessions on this edge, 0
    /// when it has none: a batch of presence checks (offline notifications) without a grain per user.
    /// </summary>
    Task<int[]> LiveTerminalTypesAsync(IReadOnlyList<string> userIds);

    /// <summary>The session, if this edge holds it registered.</summary>
    Task<SessionInfo?> FindSessionAsync(string sessionId);

    /// <summary>
    /// Sends each delivery, in the order given, as a PUSH (or IM) to the connections it names that this edge holds. A
    /// sender keeps at most one such call in flight per edge and puts whatever queued meanwhile in the next one, so an edge
    /// receives each sender's deliveries in order by construction. The edge only queues the frames to its connections'
    /// writers before it answers; a slow connection never holds up the call.
    /// </summary>
    Task DeliverAsync(IReadOnlyList<EdgeDelivery> batch);

    /// <summary>
    /// A tenant was disabled or enabled: the edge forgets what it knows of the tenant and, when it is disabled, sends
    /// KICK 4 to each of the tenant's sessions it holds (anonymous ones included) and closes them.
    /// </summary>
    [OneWay]
    Task OnTenantChangedAsync(string tenantId, bool disabled);

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
