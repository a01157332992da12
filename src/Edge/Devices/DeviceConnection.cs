using System.Text;
using AppMsg.Directory;
using AppMsg.Edge.Cluster;
using AppMsg.Messaging;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Devices;

/// <summary>
/// The protocol state of one device connection, whatever its transport: REGISTER, PING, acknowledgements,
/// kicks and pushes. Transports feed it parsed requests and close the connection when it says so.
/// </summary>
public sealed partial class DeviceConnection(DeviceChannel channel, DeviceServices services, Action abort)
{
    /// <summary>The protocol version a REGISTER must state.</summary>
    public const byte ProtocolVersion = 1;

    private readonly TidCounter tids = new();
    private readonly DeliveryTracker tracker = new(services.Time);
    // Also the lock of the replay state (replaying, heldBack): one object less per connection than a lock of its own.
    private readonly List<PushDelivery> heldBack = [];
    private readonly HashSet<string> subscriptions = new(StringComparer.Ordinal);
    private static readonly IReadOnlySet<string> NoneMuted = new HashSet<string>();
    private IReadOnlySet<string> muted = NoneMuted;
    private bool replaying;
    private SessionInfo? session;
    private int closed;
    private System.Net.IPAddress? remoteAddress;

    // Statistics, handed to the edge's collector by the maintenance pass: no lookup per delivery.
    private long deliveredLive;
    private long deliveredReplayed;
    private long acknowledged;

    /// <summary>A connection for the transport's channel; the channel's send queue is bounded by the settings, and a connection that overflows it is closed.</summary>
    public static DeviceConnection Open(DeviceChannel channel, DeviceServices services, Action abort, System.Net.IPAddress? remoteAddress = null)
    {
        var connection = new DeviceConnection(channel, services, abort) { remoteAddress = remoteAddress };
        channel.Bound(services.Settings.SendQueueLimit, connection.OnChannelClosed);
        return connection;
    }

    /// <summary>The channel gave up: a frame did not fit in its queue (counted, logged), or the transport broke.</summary>
    private void OnChannelClosed()
    {
        if (channel.Overflowed && !IsClosing)
        {
            LogSlow(services.Logger, channel.Transport, session?.SessionId, channel.Queued);
            services.Connections.ClosedForSlowness();
        }

        Close();
    }

    /// <summary>Which of <see cref="DeviceMaintenanceService.Slices"/> maintenance ticks looks after this connection.</summary>
    public int MaintenanceSlice { get; } = Random.Shared.Next(DeviceMaintenanceService.Slices);

    /// <summary>True after a successful REGISTER.</summary>
    public bool IsRegistered => session is not null;

    /// <summary>True once the connection must end; the transport stops reading.</summary>
    public bool IsClosing => Volatile.Read(ref closed) != 0;

    public SessionInfo? Session => session;

    public DeviceChannel Channel => channel;

    /// <summary>What every connection of this edge shares.</summary>
    internal DeviceServices Services => services;

    /// <summary>The PUSHes awaiting acknowledgement and the cursors they move.</summary>
    internal DeliveryTracker Tracker => tracker;

    /// <summary>Replaces the senders the user muted with the list the cluster gave (at REGISTER and SYNC).</summary>
    internal void SetMutedSenders(IReadOnlyCollection<string> senders) =>
        muted = senders.Count == 0 ? NoneMuted : senders.ToHashSet(StringComparer.Ordinal);

    /// <summary>The device's address, for the REGISTER throttle.</summary>
    internal System.Net.IPAddress? RemoteAddress => remoteAddress;

    /// <summary>Holds live deliveries back from now until a replay has sent what came before them (<see cref="ReleaseHeldBack"/>).</summary>
    internal void HoldLiveDeliveries()
    {
        lock (heldBack)
        {
            replaying = true;
        }
    }

    /// <summary>The session REGISTER attached: the connection is registered from now on.</summary>
    internal void Registered(SessionInfo info) => session = info;

    /// <summary>Starts the replay that follows REGRESP (see <see cref="DeviceReplay"/>), off the transport's read loop.</summary>
    internal void StartReplay(ReadingList? known, bool joined, IReadOnlyDictionary<string, long>? startCursors = null, long? inboxHead = null) =>
        _ = Task.Run(() => DeviceReplay.ReplayAsync(this, requested: null, known, joined, startCursors, inboxHead));

    /// <summary>How long the transport waits for the next request before closing the connection.</summary>
    public TimeSpan ReadTimeout => IsRegistered ? services.Settings.IdleLimit : services.Settings.RegisterDeadline;

    /// <summary>REGISTER (see <see cref="DeviceRegistration"/>).</summary>
    public Task OnRegisterAsync(uint tid, RegisterRequest? request, BodyEncoding encoding, ProtocolError error) =>
        DeviceRegistration.RegisterAsync(this, tid, request, encoding, error);

    public ValueTask OnPingAsync(uint tid)
    {
        channel.SendPong(tid, IsRegistered ? PongCode.Ok : PongCode.NotRegistered);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Any request other than REGISTER and PING, whatever the framing: acknowledgements, IM and SYNC
    /// (with their JSON bodies) once registered; anything else closes the connection.
    /// </summary>
    public async ValueTask OnUpstreamAsync(MessageType type, uint tid, ReadOnlyMemory<byte> body)
    {
        if (!IsRegistered || !type.IsUp())
        {
            OnUnexpected(type);
            return;
        }

        switch (type)
        {
            case MessageType.PushResp or MessageType.ImResp or MessageType.KickResp:
                await OnAcknowledgementAsync(type, tid);
                break;
            case MessageType.CbResp:
                await OnCallbackResponseAsync(tid, body);
                break;
            case MessageType.Im or MessageType.Sync:
                await OnRequestAsync(type, tid, body);
                break;
            default:
                OnUnexpected(type);
                break;
        }
    }

    /// <summary>PUSHRESP, IMRESP, KICKRESP, CBRESP from the terminal.</summary>
    public Task OnAcknowledgementAsync(MessageType type, uint tid)
    {
        if (type is MessageType.PushResp or MessageType.ImResp)
        {
            tracker.Acknowledged(tid);
            Interlocked.Increment(ref acknowledged);
        }

        return Task.CompletedTask;
    }

    /// <summary>IM and SYNC from the terminal, with their JSON bodies.</summary>
    public async Task OnRequestAsync(MessageType type, uint tid, ReadOnlyMemory<byte> json)
    {
        if (type == MessageType.Im)
        {
            var (code, answer) = await DeviceIm.HandleAsync(services, this, session!, json);
            channel.SendImResponse(tid, code, answer);
        }
        else if (type == MessageType.Sync)
        {
            if (!SyncRequest.TryParse(json.Span, out var request, out var error))
            {
                LogProtocolError(services.Logger, channel.Transport, error.Reason);
                channel.SendSyncResponse(tid, SyncResultCode.BadRequest, complete: false);
                return;
            }

            var complete = await DeviceReplay.ReplayAsync(this, request.Cursors.Count == 0 ? null : request.Cursors);
            channel.SendSyncResponse(tid, complete ? SyncResultCode.Ok : SyncResultCode.Failed, complete);
        }
    }

    /// <summary>
    /// Resends overdue PUSHes once, and returns the cursors acknowledgements moved since the last call, for the
    /// maintenance batch (called every second).
    /// </summary>
    public Task<CursorAdvance?> MaintainAsync() => Task.FromResult(Maintain());

    private CursorAdvance? Maintain()
    {
        if (session is not { } live || IsClosing)
        {
            return null;
        }

        HandOverCounts(live);
        if (channel.PendingWriteAge(Environment.TickCount64) > services.Settings.StallLimit)
        {
            LogSlow(services.Logger, channel.Transport, live.SessionId, channel.Queued);
            services.Connections.ClosedForSlowness();
            Close();
            return TakeMovedCursors(live);
        }

        foreach (var overdue in tracker.TakeOverdue() ?? [])
        {
            Send(overdue, attempt: 2, onlyIfNew: false);
        }

        return TakeMovedCursors(live);
    }

    private void HandOverCounts(SessionInfo live)
    {
        services.Stats.Add(live.TenantId, null, AppMsg.Statistics.StatsCounter.DeliveriesLive, Interlocked.Exchange(ref deliveredLive, 0));
        services.Stats.Add(live.TenantId, null, AppMsg.Statistics.StatsCounter.DeliveriesReplayed, Interlocked.Exchange(ref deliveredReplayed, 0));
        services.Stats.Add(live.TenantId, null, AppMsg.Statistics.StatsCounter.Acknowledgements, Interlocked.Exchange(ref acknowledged, 0));
    }

    private CursorAdvance? TakeMovedCursors(SessionInfo live) =>
        live.UserId is { } userId && tracker.TakeDirtyCursors() is { } moved ? new CursorAdvance(userId, live.TerminalType, moved, live.DeviceId ?? string.Empty) : null;

    /// <summary>A request the state does not allow (anything but REGISTER and PING before REGISTER, or a down-only type).</summary>
    public void OnUnexpected(MessageType type)
    {
        LogUnexpected(services.Logger, channel.Transport, type, IsRegistered);
        Close();
    }

    /// <summary>A frame the decoder refused (unknown type, body too large, malformed text).</summary>
    public void OnProtocolError(ProtocolError error)
    {
        Metrics.EdgeMetrics.ProtocolError();
        LogProtocolError(services.Logger, channel.Transport, error.Reason);
        Close();
    }

    /// <summary>Queues a live PUSH or IM to this connection (held back while a replay runs, so that seq order holds).</summary>
    public void Push(PushDelivery delivery)
    {
        if (delivery.Sender is { } sender && muted.Contains(sender))
        {
            PassOver(delivery);
            return;
        }

        lock (heldBack)
        {
            if (replaying)
            {
                heldBack.Add(delivery);
                return;
            }
        }

        Send(delivery, attempt: 1, onlyIfNew: true);
    }

    /// <summary>True when the user muted <paramref name="sender"/>, as this connection knows it.</summary>
    public bool IsMuting(string sender) => muted.Contains(sender);

    /// <summary>Applies a mute change of the user at once (the next REGISTER or SYNC reads the whole list again).</summary>
    public void SetMuted(string sender, bool isMuted)
    {
        // Copy on write: deliveries read the set without a lock.
        var changed = new HashSet<string>(muted, StringComparer.Ordinal);
        if (isMuted ? changed.Add(sender) : changed.Remove(sender))
        {
            muted = changed;
        }
    }

    /// <summary>A stored message this terminal is not meant to get (outside its mask or filter, muted, expired): its cursor moves past it.</summary>
    public void PassOver(PushDelivery delivery)
    {
        if (delivery.Timeline is { } timeline)
        {
            tracker.Skipped(timeline, delivery.Seq);
        }
    }

    internal void Send(PushDelivery delivery, int attempt, bool onlyIfNew)
    {
        if (IsClosing)
        {
            return;
        }

        if (delivery.IsExpired())
        {
            PassOver(delivery);
            return;
        }

        var tid = tids.Next();
        if (tracker.TrySend(tid, delivery, attempt, onlyIfNew))
        {
            channel.SendPush(tid, delivery, flag: 0);
            if (attempt == 1)
            {
                Interlocked.Increment(ref delivery.Offline == 0 ? ref deliveredLive : ref deliveredReplayed);
                Metrics.EdgeMetrics.Delivered(replay: !onlyIfNew, delivery.StoredAtMs);
            }
        }
    }

    /// <summary>
    /// Sends what came live while deliveries were held back, then lets live deliveries through again. They keep being
    /// held until none is left: one let through while held ones were still being sent could pass them, and they would
    /// then be taken for duplicates.
    /// </summary>
    internal void ReleaseHeldBack()
    {
        while (true)
        {
            List<PushDelivery> held;
            lock (heldBack)
            {
                if (heldBack.Count == 0)
                {
                    replaying = false;
                    break;
                }

                held = [.. heldBack];
                heldBack.Clear();
            }

            foreach (var delivery in held)
            {
                Send(delivery, attempt: 1, onlyIfNew: true);
            }
        }
    }

    /// <summary>The live delivery of a message that the replay reached too, taken out of those held back; null when none came live.</summary>
    internal PushDelivery? TakeHeldBack(string timeline, long seq)
    {
        lock (heldBack)
        {
            for (var i = 0; i < heldBack.Count; i++)
            {
                if (heldBack[i].Seq == seq && heldBack[i].Timeline == timeline)
                {
                    var held = heldBack[i];
                    heldBack.RemoveAt(i);
                    return held;
                }
            }
        }

        return null;
    }

    /// <summary>Whether this connection is subscribed to <paramref name="audience"/> (its user belongs to that qun).</summary>
    public bool IsSubscribedTo(string audience)
    {
        lock (subscriptions)
        {
            return subscriptions.Contains(audience);
        }
    }

    private async Task FlushCursorsAsync(SessionInfo live)
    {
        if (TakeMovedCursors(live) is { } moved)
        {
            try
            {
                await services.Cluster.GetGrain<IUserCursorsGrain>(moved.UserId).AdvanceAsync(moved.TerminalType, moved.DeviceId, moved.Cursors);
            }
            catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException)
            {
                // Not fatal: the cursor stays behind, and the terminal sees those messages again on replay.
                LogReplayFailed(services.Logger, live.SessionId, e.Message);
            }
        }
    }

    /// <summary>Sends KICK and closes the connection.</summary>
    public Task KickAsync(KickReason reason)
    {
        if (IsClosing)
        {
            return Task.CompletedTask;
        }

        LogKicked(services.Logger, session?.SessionId, reason);
        channel.SendKick(tids.Next(), reason);
        Close();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Indexes this connection under an audience for live group messages; for a qun, the qun's timeline is
    /// told first that this edge has a subscriber, so a message stored from then on is sent here.
    /// </summary>
    public async Task JoinAudienceAsync(string audience)
    {
        lock (subscriptions)
        {
            if (IsClosing || !subscriptions.Add(audience))
            {
                return;
            }
        }

        await services.Watches.AcquireAsync(audience);
        lock (subscriptions)
        {
            // Left (or ended) while the watch was being set up: LeaveAudience has released it already.
            if (subscriptions.Contains(audience))
            {
                services.Timelines.Subscribe(audience, this);
            }
        }
    }

    internal async Task JoinAudiencesAsync(ReadingList list)
    {
        foreach (var audience in list.Audiences)
        {
            await JoinAudienceAsync(audience);
        }
    }

    /// <summary>Takes this connection out of an audience.</summary>
    public void LeaveAudience(string audience)
    {
        lock (subscriptions)
        {
            if (!subscriptions.Remove(audience))
            {
                return;
            }

            services.Timelines.Unsubscribe(audience, this);
        }

        services.Watches.Release(audience);
    }

    private List<string> SubscribedTimelines()
    {
        lock (subscriptions)
        {
            return [.. subscriptions];
        }
    }

    /// <summary>Marks the connection closing and stops the transport's reading.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref closed, 1) == 0)
        {
            abort();
        }
    }

    /// <summary>Called by the transport once the connection has ended: the session ends everywhere.</summary>
    public async Task EndAsync()
    {
        Interlocked.Exchange(ref closed, 1);
        if (session is not { } ended)
        {
            return;
        }

        services.Connections.Remove(ended.SessionId, ended.UserId, this);
        services.Quotas.ReleaseConnection(ended.TenantId);
        HandOverCounts(ended);
        foreach (var audience in SubscribedTimelines())
        {
            LeaveAudience(audience);
        }

        try
        {
            await FlushCursorsAsync(ended);
            if (ended.UserId is { } userId)
            {
                await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<IUserSessionsGrain>(userId).DetachAsync(ended.SessionId));
            }
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or OperationCanceledException)
        {
            // The user's session list drops sessions of this edge if it cannot be told now.
            LogEndFailed(services.Logger, ended.SessionId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Transport}: protocol error, closing: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string transport, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Transport}: unexpected {Type} (registered: {Registered}), closing")]
    private static partial void LogUnexpected(ILogger logger, string transport, MessageType type, bool registered);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kicked session {SessionId}: {Reason}")]
    private static partial void LogKicked(ILogger logger, string? sessionId, KickReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: replay or cursor update failed: {Reason}")]
    private static partial void LogReplayFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Transport}: session {SessionId} does not read what it is sent ({Queued} frames queued); closed, it gets them by replay when it returns")]
    private static partial void LogSlow(ILogger logger, string transport, string? sessionId, int queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not end session {SessionId} in the cluster: {Reason}")]
    private static partial void LogEndFailed(ILogger logger, string sessionId, string reason);
}
