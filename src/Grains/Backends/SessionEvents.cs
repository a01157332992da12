using AppMsg.Backends;
using AppMsg.Sessions;

namespace AppMsg.Grains.Backends;

/// <summary>
/// What the user session lists call when a session attaches or leaves: the tenant's session events, and
/// on attach the user's stored callbacks. One-way calls: presence never waits for backends. Each event gets its id here;
/// the tenant's <see cref="ISessionEventsGrain"/> stores it before any backend sees it.
/// </summary>
public static class SessionEvents
{
    /// <summary>
    /// A session attached: publish "online" and, unless the caller knows there are none, send the user's stored
    /// callbacks that match it.
    /// </summary>
    public static void Online(IGrainFactory grains, SessionInfo session, DateTimeOffset now, bool sendStoredCallbacks = true)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(session);
        if (session.UserId is null)
        {
            return;
        }

        Publish(grains, SessionEventKind.Online, session, now);
        if (sendStoredCallbacks)
        {
            grains.GetGrain<IPendingCallbacksGrain>(session.UserId).DeliverAsync(session).Ignore();
        }
    }

    /// <summary>A session left (disconnect, kick, dead edge): publish "offline".</summary>
    public static void Offline(IGrainFactory grains, SessionInfo session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(session);
        if (session.UserId is not null)
        {
            Publish(grains, SessionEventKind.Offline, session, now);
        }
    }

    private static void Publish(IGrainFactory grains, SessionEventKind kind, SessionInfo session, DateTimeOffset now) =>
        grains.GetGrain<ISessionEventsGrain>(session.TenantId)
            .PublishAsync(new SessionEvent(kind, session.UserId!, session.TenantId, session.SessionId, session.TerminalType, session.EdgeId, session.Since, now, Ids.New()))
            .Ignore();
}
