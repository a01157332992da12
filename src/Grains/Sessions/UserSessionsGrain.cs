using AppMsg.Grains.Backends;
using AppMsg.Sessions;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// A user's live sessions, in memory. Sessions whose edge stopped heartbeating are dropped whenever
/// the list is read or changed, so a dead edge leaves no ghost sessions past its lease.
/// </summary>
public sealed class UserSessionsGrain(LiveEdges liveEdges) : Grain, IUserSessionsGrain
{
    private const int Android = 1;
    private const int Ios = 2;
    private const byte SameTerminalType = 1;
    private const byte MobileExclusion = 2;

    private readonly Dictionary<string, SessionInfo> sessions = new(StringComparer.Ordinal);
    private readonly EdgeChain sentToEdges = new();

    public async Task<IReadOnlyList<SessionKick>> AttachAsync(SessionInfo session, SessionPolicy policy)
    {
        await DropDeadEdgesAsync();
        var kicks = new List<SessionKick>();
        foreach (var other in sessions.Values)
        {
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
            SessionEvents.Offline(GrainFactory, kick.Session, DateTimeOffset.UtcNow);
            GrainFactory.GetGrain<ISessionGrain>(kick.Session.SessionId).KickAsync(kick.Reason).Ignore();
        }

        sessions[session.SessionId] = session;
        SessionEvents.Online(GrainFactory, session, DateTimeOffset.UtcNow);
        return kicks;
    }

    public Task DetachAsync(string sessionId)
    {
        if (sessions.Remove(sessionId, out var gone))
        {
            SessionEvents.Offline(GrainFactory, gone, DateTimeOffset.UtcNow);
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<SessionInfo>> GetSessionsAsync()
    {
        await DropDeadEdgesAsync();
        return [.. sessions.Values.OrderBy(s => s.Since)];
    }

    public async Task<int> PushAsync(int terminalTypes, Delivery delivery, IReadOnlyList<string>? onlySessions = null, string? exceptSessionId = null)
    {
        await DropDeadEdgesAsync();
        var edges = await liveEdges.GetAsync();
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
            if (edges.TryGetValue(byEdge.Key, out var edge))
            {
                await edge.PushAsync(send, sentToEdges.Chain(byEdge.Key, delivery), passOver);
            }
        }

        return targets;
    }

    public async Task KickTokenSessionsAsync(string tokenHash, byte reason)
    {
        var matching = sessions.Values.Where(s => s.TokenHash == tokenHash).ToList();
        foreach (var session in matching)
        {
            sessions.Remove(session.SessionId);
            SessionEvents.Offline(GrainFactory, session, DateTimeOffset.UtcNow);
        }

        await Task.WhenAll(matching.Select(s => GrainFactory.GetGrain<ISessionGrain>(s.SessionId).KickAsync(reason)));
    }

    public async Task KickAllAsync(byte reason)
    {
        var all = sessions.Values.ToList();
        sessions.Clear();
        foreach (var session in all)
        {
            SessionEvents.Offline(GrainFactory, session, DateTimeOffset.UtcNow);
        }

        await Task.WhenAll(all.Select(s => GrainFactory.GetGrain<ISessionGrain>(s.SessionId).KickAsync(reason)));
    }

    private async Task DropDeadEdgesAsync()
    {
        if (sessions.Count == 0)
        {
            return;
        }

        var live = await liveEdges.GetAsync();
        if (sessions.Values.Any(s => !live.ContainsKey(s.EdgeId)))
        {
            live = await liveEdges.GetAsync(fresh: true);
        }

        foreach (var (id, session) in sessions)
        {
            if (!live.ContainsKey(session.EdgeId))
            {
                sessions.Remove(id);
                SessionEvents.Offline(GrainFactory, session, DateTimeOffset.UtcNow);
            }
        }
    }
}
