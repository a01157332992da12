using AppMsg.Directory;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Where grains deliver to this edge's connections, ask which sessions it holds, and send membership and mute changes
/// (applied to the connections of the users concerned, so joining or leaving a group takes effect without a reconnect).
/// A batch of deliveries is applied in order and only queued to the connections' writers, so the call returns at once.
/// </summary>
public sealed class EdgeObserver(DeviceConnections connections, TimelineIndex index, TenantInfoCache tenants) : IEdgeObserver
{
    private long publishes;

    /// <summary>Group messages this edge was sent (each once, whatever its number of subscribers).</summary>
    public long Publishes => Interlocked.Read(ref publishes);

    public Task<IReadOnlyList<SessionInfo>> GetSessionsOfUsersAsync(IReadOnlyList<string> userIds)
    {
        var held = new List<SessionInfo>(userIds.Count);
        foreach (var userId in userIds)
        {
            foreach (var connection in connections.OfUser(userId))
            {
                if (connection.Session is { } session && !connection.IsClosing)
                {
                    held.Add(session);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<SessionInfo>>(held);
    }

    public Task<int[]> LiveTerminalTypesAsync(IReadOnlyList<string> userIds)
    {
        var types = new int[userIds.Count];
        for (var i = 0; i < types.Length; i++)
        {
            foreach (var connection in connections.OfUser(userIds[i]))
            {
                if (connection.Session is { } session && !connection.IsClosing)
                {
                    types[i] |= session.TerminalType;
                }
            }
        }

        return Task.FromResult(types);
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

    public Task DeliverAsync(IReadOnlyList<EdgeDelivery> batch)
    {
        foreach (var item in batch)
        {
            if (item.Audiences is { } audiences)
            {
                Interlocked.Increment(ref publishes);
                Publish(PushDelivery.From(item.Delivery), audiences, item.TerminalTypes, item.ExceptSessionId, item.OnlySessions);
            }
            else
            {
                Push(PushDelivery.From(item.Delivery), item.SessionIds ?? [], item.PassOver);
            }
        }

        return Task.CompletedTask;
    }

    private void Push(PushDelivery delivery, IReadOnlyList<string> sessionIds, IReadOnlyList<string>? passOver)
    {
        foreach (var sessionId in sessionIds)
        {
            if (connections.TryGet(sessionId, out var connection))
            {
                connection.Push(delivery);
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

    private void Publish(PushDelivery delivery, IReadOnlyList<string> audiences, int terminalTypes, string? exceptSessionId, IReadOnlyList<string>? onlySessions)
    {
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
                    connection.Push(delivery);
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

    public async Task OnTenantChangedAsync(string tenantId, bool disabled)
    {
        tenants.Forget(tenantId);
        if (!disabled)
        {
            return;
        }

        foreach (var connection in connections.All)
        {
            if (connection.Session?.TenantId == tenantId)
            {
                await connection.KickAsync(KickReason.LoggedOut);
            }
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
