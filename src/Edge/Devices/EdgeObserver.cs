using AppMsg.Directory;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Where grains deliver to this edge's connections, ask which sessions it holds, and send membership and mute changes
/// (applied to the connections of the users concerned, so joining or leaving a group takes effect without a reconnect).
/// </summary>
public sealed class EdgeObserver(DeviceConnections connections, TimelineIndex index, TimelineSequencer sequencer) : IEdgeObserver
{
    public Task<IReadOnlyList<SessionInfo>> GetSessionsOfUserAsync(string userId)
    {
        var ofUser = connections.OfUser(userId);
        var held = new List<SessionInfo>(ofUser.Count);
        foreach (var connection in ofUser)
        {
            if (connection.Session is { } session && !connection.IsClosing)
            {
                held.Add(session);
            }
        }

        return Task.FromResult<IReadOnlyList<SessionInfo>>(held);
    }

    public Task<SessionInfo?> FindSessionAsync(string sessionId) =>
        Task.FromResult(connections.TryGet(sessionId, out var connection) && !connection.IsClosing ? connection.Session : null);

    public async Task OnMembershipChangedAsync(MembershipChange change)
    {
        foreach (var connection in connections.OfUser(change.UserId))
        {
            if (change.Joined)
            {
                await connection.JoinAudienceAsync(change.GroupAddress);
            }
            else
            {
                connection.LeaveAudience(change.GroupAddress);
            }
        }
    }

    public Task OnMuteChangedAsync(MuteChange change)
    {
        foreach (var connection in connections.OfUser(change.UserId))
        {
            connection.SetMuted(change.Sender, change.Muted);
        }

        return Task.CompletedTask;
    }

    public Task PushAsync(IReadOnlyList<string> sessionIds, Delivery message, IReadOnlyList<string>? passOver = null)
    {
        if (message.Timeline is null)
        {
            return PushNowAsync(sessionIds, message, passOver);
        }

        sequencer.Offer(message.Timeline, message.Seq, message.PreviousSeq, () => PushNowAsync(sessionIds, message, passOver));
        return Task.CompletedTask;
    }

    private async Task PushNowAsync(IReadOnlyList<string> sessionIds, Delivery message, IReadOnlyList<string>? passOver)
    {
        var delivery = PushDelivery.From(message);
        foreach (var sessionId in sessionIds)
        {
            if (connections.TryGet(sessionId, out var connection))
            {
                await connection.PushAsync(delivery);
            }
        }

        foreach (var sessionId in passOver ?? [])
        {
            if (connections.TryGet(sessionId, out var connection))
            {
                connection.PassOver(delivery);
            }
        }
    }

    private long publishes;

    /// <summary>Group messages this edge was sent (each once, whatever its number of subscribers).</summary>
    public long Publishes => Interlocked.Read(ref publishes);

    public Task PublishAsync(Delivery message, IReadOnlyList<string> audiences, int terminalTypes, string? exceptSessionId, IReadOnlyList<string>? onlySessions)
    {
        Interlocked.Increment(ref publishes);
        if (message.Timeline is not null)
        {
            sequencer.Offer(message.Timeline, message.Seq, message.PreviousSeq, () => PublishNowAsync(message, audiences, terminalTypes, exceptSessionId, onlySessions));
        }

        return Task.CompletedTask;
    }

    private async Task PublishNowAsync(Delivery message, IReadOnlyList<string> audiences, int terminalTypes, string? exceptSessionId, IReadOnlyList<string>? onlySessions)
    {
        var delivery = PushDelivery.From(message);
        // A connection in several audiences (an org and its sub-org) gets the message once.
        HashSet<DeviceConnection>? seen = audiences.Count > 1 ? [] : null;
        foreach (var audience in audiences)
        {
            foreach (var connection in index.Subscribers(audience))
            {
                if (connection.Session is not { } session || (seen is not null && !seen.Add(connection)))
                {
                    continue;
                }

                if ((session.TerminalType & terminalTypes) != 0 && session.SessionId != exceptSessionId
                    && (onlySessions is null || onlySessions.Contains(session.SessionId)))
                {
                    await connection.PushAsync(delivery);
                }
                else
                {
                    connection.PassOver(delivery);
                }
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

    public Task CallbackAsync(IReadOnlyList<string> sessionIds, string callbackId, byte[] payloadJson)
    {
        foreach (var sessionId in sessionIds)
        {
            if (connections.TryGet(sessionId, out var connection))
            {
                connection.StartCallback(callbackId, payloadJson);
            }
        }

        return Task.CompletedTask;
    }
}
