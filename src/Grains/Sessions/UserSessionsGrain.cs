using AppMsg.Grains.Backends;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// A user's live sessions: a cache of what the edges hold, never the truth itself. An activation asks every live
/// edge for the user's sessions before it answers anything, and asks again any edge it could not reach or that
/// joined or restarted since; REGISTER and disconnects keep it current in between. So a grain collected while its
/// devices sat idle, or lost with its silo, is whole again on its next call, and the devices stay reachable
/// without reconnecting. Sessions on edges that died (no heartbeat for the lease) or restarted are dropped.
/// </summary>
public sealed partial class UserSessionsGrain(LiveEdges liveEdges, EdgeSessionQueries edgeQueries, TimeProvider clock, ILogger<UserSessionsGrain> logger) : Grain, IUserSessionsGrain
{
    private const int Android = 1;
    private const int Ios = 2;
    private const byte SameTerminalType = 1;
    private const byte MobileExclusion = 2;
    private static readonly TimeSpan RelearnAfter = TimeSpan.FromSeconds(1);

    // Longer than the cursor grain's save period (5 s) with room for a slow save: a user whose sessions were all
    // gone for this long has every acknowledgement saved.
    private static readonly TimeSpan CursorsSettleAfter = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, SessionInfo> sessions = new(StringComparer.Ordinal);

    // The edges (and the run of each) whose sessions of this user are known here.
    private readonly Dictionary<string, string> learnedFrom = new(StringComparer.Ordinal);
    private readonly EdgeOutboxes outboxes = new(logger);
    private DateTimeOffset learnTriedAt = DateTimeOffset.MinValue;
    private DateTimeOffset lastSessionSeenAt = DateTimeOffset.MinValue;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await RefreshAsync();

    public async Task<bool> AttachAsync(SessionInfo session, SessionPolicy policy, bool sendStoredCallbacks)
    {
        var edges = await RefreshAsync();
        var now = clock.GetUtcNow();
        var recentlyActive = now - lastSessionSeenAt < CursorsSettleAfter;
        var kicks = new List<SessionKick>();
        foreach (var other in sessions.Values)
        {
            // A fresh activation may have learned this very session from its edge already.
            if (other.SessionId == session.SessionId)
            {
                continue;
            }

            recentlyActive = true;

            if (policy.OneSessionPerTerminalType && other.TerminalType == session.TerminalType)
            {
                kicks.Add(new SessionKick(other, SameTerminalType));
            }
            else if (policy.AndroidIosExclusive && (other.TerminalType | session.TerminalType) == (Android | Ios))
            {
                kicks.Add(new SessionKick(other, MobileExclusion));
            }
        }

        foreach (var kick in kicks)
        {
            sessions.Remove(kick.Session.SessionId);
            SessionEvents.Offline(GrainFactory, kick.Session, clock.GetUtcNow());
            Kick(edges, kick.Session, kick.Reason);
        }

        // Online even when a fresh activation learned it from its edge just now (the event carries the session id,
        // so a backend drops the repeat that an edge's retried REGISTER call could cause).
        sessions[session.SessionId] = session;
        lastSessionSeenAt = now;
        SessionEvents.Online(GrainFactory, session, now, sendStoredCallbacks);
        return recentlyActive;
    }

    public Task DetachAsync(string sessionId)
    {
        if (sessions.Remove(sessionId, out var gone))
        {
            lastSessionSeenAt = clock.GetUtcNow();
            SessionEvents.Offline(GrainFactory, gone, clock.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<SessionInfo>> GetSessionsAsync()
    {
        await RefreshAsync();
        return [.. sessions.Values.OrderBy(s => s.Since)];
    }

    public async Task<int> PushAsync(int terminalTypes, Delivery delivery, IReadOnlyList<string>? onlySessions = null, string? exceptSessionId = null)
    {
        var edges = await RefreshAsync();
        var targets = 0;
        foreach (var byEdge in sessions.Values.GroupBy(s => s.EdgeId))
        {
            var send = new List<string>();
            List<string>? passOver = null;
            foreach (var session in byEdge)
            {
                if ((session.TerminalType & terminalTypes) != 0 && session.SessionId != exceptSessionId
                    && (onlySessions is null || onlySessions.Contains(session.SessionId)))
                {
                    send.Add(session.SessionId);
                }
                else
                {
                    (passOver ??= []).Add(session.SessionId);
                }
            }

            targets += send.Count;
            if (edges.Observers.TryGetValue(byEdge.Key, out var edge))
            {
                outboxes.Send(edges.ProcessOf(byEdge.Key), edge, EdgeDelivery.ToSessions(delivery, send, passOver));
            }
        }

        return targets;
    }

    public async Task KickTokenSessionsAsync(string tokenHash, byte reason)
    {
        var edges = await RefreshAsync();
        foreach (var session in sessions.Values.Where(s => s.TokenHash == tokenHash).ToList())
        {
            sessions.Remove(session.SessionId);
            lastSessionSeenAt = clock.GetUtcNow();
            SessionEvents.Offline(GrainFactory, session, clock.GetUtcNow());
            Kick(edges, session, reason);
        }
    }

    public async Task KickAllAsync(byte reason)
    {
        var edges = await RefreshAsync();
        foreach (var session in sessions.Values.ToList())
        {
            sessions.Remove(session.SessionId);
            lastSessionSeenAt = clock.GetUtcNow();
            SessionEvents.Offline(GrainFactory, session, clock.GetUtcNow());
            Kick(edges, session, reason);
        }
    }

    private static void Kick(LiveEdgeSet edges, SessionInfo session, byte reason)
    {
        if (edges.Observers.TryGetValue(session.EdgeId, out var edge))
        {
            edge.KickAsync(session.SessionId, reason).Ignore();
        }
    }

    /// <summary>
    /// Drops the sessions of dead or restarted edges, and learns the user's sessions from every live edge not asked
    /// yet (all of them on activation; then only edges that joined, restarted, or did not answer, at most once a second).
    /// </summary>
    private async Task<LiveEdgeSet> RefreshAsync()
    {
        var edges = await liveEdges.GetAsync();
        if (sessions.Values.Any(edges.HasLost))
        {
            edges = await liveEdges.GetAsync(fresh: true);
        }

        foreach (var (id, session) in sessions)
        {
            if (edges.HasLost(session))
            {
                sessions.Remove(id);
                lastSessionSeenAt = clock.GetUtcNow();
                SessionEvents.Offline(GrainFactory, session, clock.GetUtcNow());
            }
        }

        foreach (var (edgeId, incarnation) in learnedFrom)
        {
            if (edges.IsKnown && !edges.All.Any(e => e.EdgeId == edgeId && e.Incarnation == incarnation))
            {
                learnedFrom.Remove(edgeId);
            }
        }

        List<LiveEdge>? unasked = null;
        foreach (var edge in edges.All)
        {
            if (!learnedFrom.TryGetValue(edge.EdgeId, out var incarnation) || incarnation != edge.Incarnation)
            {
                (unasked ??= []).Add(edge);
            }
        }

        var now = clock.GetUtcNow();
        if (unasked is not null && now - learnTriedAt >= RelearnAfter)
        {
            learnTriedAt = now;
            await Task.WhenAll(unasked.Select(LearnFromAsync));
        }

        return edges;
    }

    private async Task LearnFromAsync(LiveEdge edge)
    {
        IReadOnlyList<SessionInfo> held;
        try
        {
            held = await edgeQueries.AskAsync(edge, UserId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Asked again on the next call; until then what REGISTER told this activation stands.
            LogEdgeNotAsked(logger, edge.EdgeId, UserId, e.Message);
            return;
        }

        foreach (var stale in sessions.Values.Where(s => s.EdgeId == edge.EdgeId && !held.Any(h => h.SessionId == s.SessionId)).ToList())
        {
            sessions.Remove(stale.SessionId);
            lastSessionSeenAt = clock.GetUtcNow();
        }

        foreach (var session in held)
        {
            sessions[session.SessionId] = session;
        }

        learnedFrom[edge.EdgeId] = edge.Incarnation;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge {EdgeId} did not say which sessions user {UserId} has there: {Reason}")]
    private static partial void LogEdgeNotAsked(ILogger logger, string edgeId, string userId, string reason);
}
