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
    private const byte ProtocolVersion = 1;
    private const int ReplayPageSize = 100;

    private readonly TidCounter tids = new();
    private readonly DeliveryTracker tracker = new(services.Time);
    private readonly Lock replayLock = new();
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

    /// <summary>How long the transport waits for the next request before closing the connection.</summary>
    public TimeSpan ReadTimeout => IsRegistered ? services.Settings.IdleLimit : services.Settings.RegisterDeadline;

    public async Task OnRegisterAsync(uint tid, RegisterRequest? request, BodyEncoding encoding, ProtocolError error)
    {
        channel.Encoding = encoding;
        if (session is not null)
        {
            channel.SendRegisterResponse(tid, RegisterResultCode.Ok, RegisterJson(session));
            return;
        }

        if (request is null)
        {
            LogProtocolError(services.Logger, channel.Transport, error.Reason);
            await RefuseAsync(tid, RegisterResultCode.AuthenticationFailed);
            return;
        }

        if (request.Version != ProtocolVersion)
        {
            await RefuseAsync(tid, RegisterResultCode.UnsupportedVersion);
            return;
        }

        if (!TerminalTypes.IsSingle(request.TerminalType))
        {
            await RefuseAsync(tid, RegisterResultCode.BadTerminalType);
            return;
        }

        if (services.Connections.SessionCount >= services.Settings.MaxConnections)
        {
            await RefuseAsync(tid, RegisterResultCode.OverQuota);
            return;
        }

        // A restarted edge attaches nothing before the registry has its new run: a session list would take the session for
        // one of the killed run and drop it.
        if (!services.Incarnation.Known.IsCompleted
            && !await services.Incarnation.Known.WaitAsync(services.Settings.RegisterDeadline).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
        {
            await RefuseAsync(tid, RegisterResultCode.Busy);
            return;
        }

        if (request.IsAnonymous)
        {
            await RegisterAnonymousAsync(tid, request.TerminalType);
            return;
        }

        // An address that sent too many bad tokens is refused before any grain is asked (RegisterThrottle).
        if (services.RegisterThrottle.IsLockedOut(remoteAddress))
        {
            await RefuseAsync(tid, RegisterResultCode.Busy);
            return;
        }

        if (request.Token.Length is 0 or > 128)
        {
            await RefuseBadCredentialsAsync(tid, request.Id);
            return;
        }

        // Listed here first and held back: a delivery for the session that arrives while the cluster attaches it
        // waits for the replay that follows REGRESP.
        var sessionId = Ids.New();
        lock (replayLock)
        {
            replaying = true;
        }

        services.Connections.Add(sessionId, request.Id, this);
        var ticket = new RegisterTicket(sessionId, request.Id, Api.CallerAuthenticator.TokenHash(request.Token), (int)request.TerminalType,
            request.DeviceId.Length == 0 ? null : request.DeviceId, services.Edge.EdgeId, services.Incarnation.Value, DateTimeOffset.UtcNow);
        var answer = await services.Registrations.RegisterAsync(ticket);
        if (answer is not { Outcome: RegisterOutcome.Registered, Session: { } info })
        {
            services.Connections.Remove(sessionId, request.Id, this);
            if (answer.Outcome == RegisterOutcome.BadCredentials)
            {
                await RefuseBadCredentialsAsync(tid, request.Id);
            }
            else if (answer.Outcome == RegisterOutcome.TenantDisabled)
            {
                // A valid token of a disabled tenant: refused like a bad one, but not counted against the address.
                LogRefused(services.Logger, channel.Transport, request.Id);
                await RefuseAsync(tid, RegisterResultCode.AuthenticationFailed);
            }
            else
            {
                LogReplayFailed(services.Logger, sessionId, "the cluster did not answer the REGISTER");
                await RefuseAsync(tid, RegisterResultCode.Busy);
            }

            return;
        }

        var admitted = false;
        try
        {
            admitted = !IsClosing && await services.Quotas.TakeConnectionAsync(info.TenantId);
        }
        catch (Exception e) when (ClusterRetry.IsUnavailable(e) || e is Orleans.Runtime.OrleansException)
        {
            LogReplayFailed(services.Logger, sessionId, e.Message);
        }

        if (!admitted)
        {
            services.Connections.Remove(sessionId, request.Id, this);
            _ = DetachAsync(info);
            if (!IsClosing)
            {
                await RefuseAsync(tid, RegisterResultCode.OverQuota);
            }

            return;
        }

        session = info;
        LogRegistered(services.Logger, channel.Transport, info.UserId, info.TerminalType, info.SessionId);
        Metrics.EdgeMetrics.Registered();
        channel.SendRegisterResponse(tid, RegisterResultCode.Ok, RegisterJson(info));
        _ = Task.Run(() => ReplayAsync(requested: null, answer.ReadingList, joined: false, answer.Cursors, answer.InboxHead));
    }

    private async Task RefuseBadCredentialsAsync(uint tid, string userId)
    {
        services.RegisterThrottle.Failed(remoteAddress);
        LogRefused(services.Logger, channel.Transport, userId);
        await RefuseAsync(tid, RegisterResultCode.AuthenticationFailed);
    }

    private async Task DetachAsync(SessionInfo info)
    {
        try
        {
            await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<IUserSessionsGrain>(info.UserId!).DetachAsync(info.SessionId));
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            // The user's session list drops sessions this edge no longer lists when it next asks.
            LogEndFailed(services.Logger, info.SessionId, e.Message);
        }
    }

    /// <summary>
    /// An anonymous session: it belongs to the edge's configured tenant, if that tenant allows them; it gets no replay,
    /// so it joins its audiences before REGRESP and every broadcast sent after it reaches it.
    /// </summary>
    private async Task RegisterAnonymousAsync(uint tid, TerminalType terminalType)
    {
        string? tenantId;
        try
        {
            tenantId = services.Edge.AnonymousTenantId;
            var tenant = tenantId is null ? null : await ClusterRetry.RunAsync(() => services.TenantInfos.GetAsync(tenantId).AsTask());
            tenantId = tenant is { Settings.AllowAnonymousSessions: true, Disabled: false } ? tenantId : null;
        }
        catch (Exception e) when (ClusterRetry.IsUnavailable(e))
        {
            await RefuseAsync(tid, RegisterResultCode.Busy);
            return;
        }

        if (tenantId is null)
        {
            LogRefused(services.Logger, channel.Transport, string.Empty);
            await RefuseAsync(tid, RegisterResultCode.AuthenticationFailed);
            return;
        }

        try
        {
            if (!await services.Quotas.TakeConnectionAsync(tenantId))
            {
                await RefuseAsync(tid, RegisterResultCode.OverQuota);
                return;
            }
        }
        catch (Exception e) when (ClusterRetry.IsUnavailable(e) || e is Orleans.Runtime.OrleansException)
        {
            await RefuseAsync(tid, RegisterResultCode.Busy);
            return;
        }

        var info = new SessionInfo(Ids.New(), null, tenantId, (int)terminalType, services.Edge.EdgeId, DateTimeOffset.UtcNow,
            EdgeIncarnation: services.Incarnation.Value);
        session = info;
        lock (replayLock)
        {
            replaying = true;
        }

        services.Connections.Add(info.SessionId, null, this);
        ReadingList? joined = null;
        try
        {
            joined = await services.Cluster.GetGrain<IReadingListGrain>(0).GetAsync(null, tenantId);
            await JoinAudiencesAsync(joined);
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogReplayFailed(services.Logger, info.SessionId, e.Message);
            joined = null;
        }

        LogRegistered(services.Logger, channel.Transport, info.UserId, info.TerminalType, info.SessionId);
        Metrics.EdgeMetrics.Registered();
        channel.SendRegisterResponse(tid, RegisterResultCode.Ok, RegisterJson(info));
        _ = Task.Run(() => ReplayAsync(requested: null, joined, joined: joined is not null));
    }

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

            var complete = await ReplayAsync(request.Cursors.Count == 0 ? null : request.Cursors);
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

        lock (replayLock)
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

    private void Send(PushDelivery delivery, int attempt, bool onlyIfNew)
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
    /// Sends what the terminal has not acknowledged: every message after its cursor in its inbox and
    /// groups (or after the cursors it named in SYNC), oldest first, marked offline. False when the
    /// cluster could not be read to the end.
    /// </summary>
    /// <param name="requested">The cursors a SYNC named, or null for every timeline after the stored cursors.</param>
    /// <param name="known">The reading list REGISTER already read, or null to read it.</param>
    /// <param name="joined">Whether REGISTER also joined <paramref name="known"/>'s audiences (anonymous sessions).</param>
    /// <param name="startCursors">The stored cursors REGISTER already read, or null to read them.</param>
    /// <param name="inboxHead">The last seq of the user's inbox, read after the session was attached, or null.</param>
    private async Task<bool> ReplayAsync(IReadOnlyDictionary<string, long>? requested, ReadingList? known = null, bool joined = false,
        IReadOnlyDictionary<string, long>? startCursors = null, long? inboxHead = null)
    {
        if (session is not { } live)
        {
            return false;
        }

        Metrics.EdgeMetrics.ReplayStarted();
        lock (replayLock)
        {
            replaying = true;
        }

        var complete = true;
        try
        {
            // SYNC may name only timelines the user can read; anything else is ignored.
            var list = known ?? await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<IReadingListGrain>(0).GetAsync(live.UserId, live.TenantId));
            muted = list.Muted.Count == 0 ? NoneMuted : list.Muted.ToHashSet(StringComparer.Ordinal);
            IReadOnlyList<string> timelines = list.Timelines;
            if (requested is null)
            {
                if (!joined)
                {
                    await JoinAudiencesAsync(list);
                }
            }
            else
            {
                timelines = [.. list.Timelines.Where(requested.ContainsKey)];
            }

            if (live.UserId is not { } userId)
            {
                // Anonymous sessions have no cursors: they receive broadcasts live only.
                return true;
            }

            var inbox = Common.Address.User(userId).ToString();
            var stored = startCursors
                ?? await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<IUserCursorsGrain>(userId).GetReaderAsync(live.TerminalType, live.DeviceId ?? string.Empty));
            foreach (var timeline in timelines)
            {
                var after = requested?[timeline] ?? tracker.CursorOf(timeline) ?? stored.GetValueOrDefault(timeline);
                tracker.Start(timeline, after);
                if (inboxHead is { } head && head <= after && timeline == inbox)
                {
                    continue;
                }

                var grain = services.Cluster.GetGrain<ITimelineGrain>(timeline);
                while (!IsClosing)
                {
                    var from = after;
                    var page = await ClusterRetry.RunAsync(() => grain.ReadAsync(from, ReplayPageSize));
                    for (var i = 0; i < page.Envelopes.Count; i++)
                    {
                        if ((page.TerminalTypes[i] & live.TerminalType) == 0 || muted.Contains(page.Senders[i]))
                        {
                            tracker.Skipped(timeline, page.Seqs[i]);
                            continue;
                        }

                        // A message that also reached this edge live while the replay ran goes out as the live one.
                        Send(TakeHeldBack(timeline, page.Seqs[i]) ?? new PushDelivery(page.Envelopes[i], timeline, page.Seqs[i], offline: 1,
                            asIm: page.Senders[i].EndsWith("@user", StringComparison.Ordinal), from: page.Senders[i],
                            expiresAtMs: page.ExpiresAtMs?[i] ?? 0), attempt: 1, onlyIfNew: false);
                    }

                    // The next page waits until this one is written: a long replay never floods the send queue.
                    await channel.WhenEmptyAsync();
                    if (page.NextAfter is not { } next)
                    {
                        break;
                    }

                    after = next;
                }
            }
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogReplayFailed(services.Logger, live.SessionId, e.Message);
            complete = false;
        }
        finally
        {
            // Live deliveries keep being held until none is left: one let through while held ones were still
            // being sent could pass them, and they would then be taken for duplicates.
            while (true)
            {
                List<PushDelivery> held;
                lock (replayLock)
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

            Metrics.EdgeMetrics.ReplayEnded();
        }

        return complete;
    }

    private PushDelivery? TakeHeldBack(string timeline, long seq)
    {
        lock (replayLock)
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

    private async Task JoinAudiencesAsync(ReadingList list)
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

    private Task RefuseAsync(uint tid, RegisterResultCode code)
    {
        Metrics.EdgeMetrics.RegisterRefused(code.ToString());
        channel.SendRegisterResponse(tid, code, ReadOnlyMemory<byte>.Empty);
        Close();
        return Task.CompletedTask;
    }

    private ReadOnlyMemory<byte> RegisterJson(SessionInfo info) => Encoding.UTF8.GetBytes(
        $"{{\"sessionId\":\"{info.SessionId}\",\"heartbeat\":{(int)services.Settings.Heartbeat.TotalSeconds},\"serverTime\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Transport}: registered user {UserId} terminal {TerminalType} as session {SessionId}")]
    private static partial void LogRegistered(ILogger logger, string transport, string? userId, int terminalType, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Transport}: REGISTER refused for id '{Id}' (authentication failed)")]
    private static partial void LogRefused(ILogger logger, string transport, string id);

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
