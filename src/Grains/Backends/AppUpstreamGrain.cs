using AppMsg.Backends;
using AppMsg.Directory;
using AppMsg.Messaging;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AppMsg.Grains.Backends;

/// <summary>
/// Delivers an app's upstream timeline to its observer backends. Consumer groups: the shared backends
/// (one cursor, work split round-robin) and each broadcast backend (its own cursor). Messages go out
/// one-way in seq-ordered batches, up to each backend's in-flight limit; what is not acknowledged within
/// the backend's timeout is sent again. Cursors are written at most every second and on deactivation;
/// after a crash a backend may see a message twice, never zero times. The tenant's session events reach the backends that
/// asked for them the same way, from their own groups (the same keys) over the tenant's session-events timeline.
/// </summary>
public sealed partial class AppUpstreamGrain(
    [PersistentState("appUpstream", StorageNames.Default)] IPersistentState<AppUpstreamState> state,
    TimeProvider clock,
    ILogger<AppUpstreamGrain> logger) : Grain, IAppUpstreamGrain
{
    /// <summary>A subscription not renewed for this long lapses.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    public const string SharedGroup = "shared";
    public const string BroadcastGroupPrefix = "broadcast:";

    /// <summary>How <see cref="GetStatusAsync"/> names a session-events group: <c>session-events:shared</c>, <c>session-events:broadcast:&lt;name&gt;</c>.</summary>
    public const string EventGroupStatusPrefix = "session-events:";

    private const int PageSize = 200;
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, UpstreamSubscriber> subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsumerGroup<UpstreamMessage>> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsumerGroup<SessionEvent>> eventGroups = new(StringComparer.Ordinal);
    private string? tenantId;
    private bool sessionEventsRegistered;

    private string AppId => this.GetPrimaryKeyString();

    private ITimelineGrain Timeline => GrainFactory.GetGrain<ITimelineGrain>(AppUpstream.TimelineOf(AppId));

    private ISessionEventsGrain SessionEvents => GrainFactory.GetGrain<ISessionEventsGrain>(tenantId!);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = false });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => SaveAsync();

    public async Task SubscribeAsync(IBackendObserver observer, BackendSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Validate(subscription);
        if (tenantId is null)
        {
            var app = await GrainFactory.GetGrain<IAppGrain>(AppId).GetAsync() ?? throw AppMsgException.NotFound("app");
            tenantId = app.TenantId;
        }

        var now = clock.GetUtcNow();
        var groupKey = subscription.Mode == BackendDeliveryMode.Shared ? SharedGroup : BroadcastGroupPrefix + subscription.Name;
        if (subscribers.TryGetValue(subscription.Name, out var known))
        {
            if (known.Group != groupKey || !known.Observer.Equals(observer) || known.Options.SessionEvents != subscription.SessionEvents)
            {
                // A new incarnation (or a new mode): what its predecessor did not acknowledge goes out again now.
                var requeued = Requeue(known);
                LogReplaced(logger, AppId, known.Name, requeued);
            }

            known.Observer = observer;
            known.Options = subscription;
            known.Group = groupKey;
            known.RenewedAt = now;
        }
        else
        {
            subscribers[subscription.Name] = new UpstreamSubscriber(observer, subscription, groupKey, now);
            LogSubscribed(logger, AppId, subscription.Name, subscription.Mode);
        }

        GroupOf(groupKey);
        if (subscription.SessionEvents)
        {
            if (!sessionEventsRegistered)
            {
                await SessionEvents.AddAppAsync(AppId);
                sessionEventsRegistered = true;
            }

            await EventGroupOfAsync(groupKey);
        }

        await PumpAsync();
    }

    public async Task UnsubscribeAsync(string name)
    {
        if (subscribers.Remove(name, out var gone))
        {
            Requeue(gone);
            await PumpAsync();
        }
    }

    public Task AcknowledgeAsync(string name, long seq) => AcknowledgeManyAsync(name, [seq]);

    public async Task AcknowledgeManyAsync(string name, IReadOnlyList<long> seqs)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        var subscriber = subscribers.GetValueOrDefault(name);
        if (Acknowledge(groups, subscriber?.Group, name, seqs))
        {
            await PumpAsync();
        }
    }

    public async Task AcknowledgeSessionEventsAsync(string name, IReadOnlyList<long> seqs)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        var subscriber = subscribers.GetValueOrDefault(name);
        if (Acknowledge(eventGroups, subscriber?.EventGroup, name, seqs))
        {
            await PumpAsync();
        }
    }

    public Task<IReadOnlyList<UpstreamGroupStatus>> GetStatusAsync()
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<UpstreamGroupStatus> status =
        [
            .. groups.Values.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new UpstreamGroupStatus(
                g.Key, g.Acknowledged, g.InFlight.Count,
                [.. subscribers.Values.Where(s => s.Group == g.Key && IsLive(s, now)).Select(s => s.Name).Order(StringComparer.Ordinal)])),
            .. eventGroups.Values.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new UpstreamGroupStatus(
                EventGroupStatusPrefix + g.Key, g.Acknowledged, g.InFlight.Count,
                [.. subscribers.Values.Where(s => s.EventGroup == g.Key && IsLive(s, now)).Select(s => s.Name).Order(StringComparer.Ordinal)])),
        ];
        return Task.FromResult(status);
    }

    public async Task OnStoredAsync(UpstreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var group in groups.Values)
        {
            group.OnStored(message.Seq, message);
        }

        GrainFactory.GetGrain<IWebhookGrain>(AppId).OnStoredAsync(message.Seq).Ignore();
        await PumpAsync();
    }

    public async Task OnSessionEventsStoredAsync(IReadOnlyList<SessionEvent> sessionEvents)
    {
        ArgumentNullException.ThrowIfNull(sessionEvents);
        if (sessionEvents.Count == 0)
        {
            return;
        }

        foreach (var group in eventGroups.Values)
        {
            foreach (var sessionEvent in sessionEvents)
            {
                group.OnStored(sessionEvent.Seq, sessionEvent);
            }
        }

        GrainFactory.GetGrain<IWebhookGrain>(AppId).OnSessionEventsStoredAsync(sessionEvents.Max(e => e.Seq)).Ignore();
        await PumpAsync();
    }

    private async Task TickAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var lapsed in subscribers.Values.Where(s => !IsLive(s, now)).ToList())
        {
            subscribers.Remove(lapsed.Name);
            LogLapsed(logger, AppId, lapsed.Name, Requeue(lapsed));
        }

        foreach (var group in groups.Values)
        {
            RequeueOverdue(group, s => s.Group, now);
        }

        foreach (var group in eventGroups.Values)
        {
            RequeueOverdue(group, s => s.EventGroup, now);
        }

        await PumpAsync();
        await SaveAsync();
    }

    /// <summary>Puts what waits too long for an acknowledgement back to be sent, and marks its subscriber stalled.</summary>
    private void RequeueOverdue<T>(ConsumerGroup<T> group, Func<UpstreamSubscriber, string?> groupOf, DateTimeOffset now)
    {
        var overdue = group.RequeueWhere(f =>
        {
            if (!subscribers.TryGetValue(f.Subscriber, out var to) || groupOf(to) != group.Key)
            {
                return true;
            }

            if (now - f.SentAt < to.AckTimeout)
            {
                return false;
            }

            group.Stalled.Add(to.Name);
            return true;
        });
        if (overdue > 0)
        {
            LogRedelivering(logger, AppId, group.Key, overdue);
        }
    }

    /// <summary>What was in flight to the subscriber, in both its groups, goes out again (to anyone); it is no longer stalled.</summary>
    private int Requeue(UpstreamSubscriber subscriber)
    {
        var requeued = 0;
        if (groups.TryGetValue(subscriber.Group, out var group))
        {
            requeued += group.Requeue(subscriber.Name);
            group.Stalled.Remove(subscriber.Name);
        }

        if (subscriber.EventGroup is { } eventKey && eventGroups.TryGetValue(eventKey, out var eventGroup))
        {
            requeued += eventGroup.Requeue(subscriber.Name);
            eventGroup.Stalled.Remove(subscriber.Name);
        }

        return requeued;
    }

    /// <summary>Acknowledges seqs in the subscriber's group (or, for a name not subscribed now, its broadcast group or the shared one).</summary>
    private bool Acknowledge<T>(Dictionary<string, ConsumerGroup<T>> all, string? subscriberGroup, string name, IReadOnlyList<long> seqs)
    {
        var group = subscriberGroup is not null ? all.GetValueOrDefault(subscriberGroup)
            : all.GetValueOrDefault(BroadcastGroupPrefix + name) ?? all.GetValueOrDefault(SharedGroup);
        if (group is null)
        {
            LogUnknownAcknowledgement(logger, AppId, name);
            return false;
        }

        foreach (var seq in seqs)
        {
            group.Acknowledge(seq);
        }

        group.Stalled.Remove(name);
        return true;
    }

    /// <summary>Reads what each group's live subscribers have room for and sends it.</summary>
    private async Task PumpAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var group in groups.Values)
        {
            await PumpGroupAsync(group, s => s.Group, ReadMessagesAsync, (observer, batch) => observer.OnMessagesAsync(AppId, batch), now);
        }

        foreach (var group in eventGroups.Values)
        {
            await PumpGroupAsync(group, s => s.EventGroup, ReadSessionEventsAsync, (observer, batch) => observer.OnSessionEventsAsync(AppId, batch), now);
        }
    }

    private async Task PumpGroupAsync<T>(
        ConsumerGroup<T> group,
        Func<UpstreamSubscriber, string?> groupOf,
        Func<long, Task<(IEnumerable<(long Seq, T Item)> Page, bool MaybeMore)>> read,
        Func<IBackendObserver, List<T>, Task> send,
        DateTimeOffset now)
    {
        var live = subscribers.Values.Where(s => groupOf(s) == group.Key && IsLive(s, now)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        if (live.Count == 0)
        {
            return;
        }

        // Stalled subscribers get work only when no healthy one is left. A subscriber gets its next batch only
        // when the previous one is acknowledged: one-way calls to a client may run in any order, batches must not.
        var candidates = live.Where(s => !group.Stalled.Contains(s.Name)).ToList() is { Count: > 0 } healthy ? healthy : live;
        var room = candidates.ToDictionary(s => s.Name, s => group.InFlightTo(s.Name) == 0 ? s.Options.MaxInFlight : 0, StringComparer.Ordinal);
        var capacity = room.Values.Sum();
        try
        {
            while (group.Ready.Count < capacity && group.MaybeMore)
            {
                var (page, maybeMore) = await read(group.ReadUpTo);
                group.OnRead(page, maybeMore);
            }
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or OrleansException)
        {
            LogReadFailed(logger, AppId, group.Key, e.Message);
        }

        var batches = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        foreach (var (seq, item) in group.Ready.ToList())
        {
            if (capacity == 0)
            {
                break;
            }

            UpstreamSubscriber? to = null;
            for (var i = 0; i < candidates.Count && to is null; i++)
            {
                var candidate = candidates[(group.RoundRobin + i) % candidates.Count];
                if (room[candidate.Name] > 0)
                {
                    to = candidate;
                }
            }

            group.RoundRobin++;
            room[to!.Name]--;
            capacity--;
            group.Ready.Remove(seq);
            group.InFlight[seq] = new InFlight<T>(item, to.Name, now);
            (batches.TryGetValue(to.Name, out var batch) ? batch : batches[to.Name] = []).Add(item);
        }

        foreach (var (name, batch) in batches)
        {
            var observer = subscribers[name].Observer;
            Send(() => send(observer, batch), name);
        }
    }

    private async Task<(IEnumerable<(long Seq, UpstreamMessage Item)> Page, bool MaybeMore)> ReadMessagesAsync(long afterSeq)
    {
        var page = await Timeline.ReadAsync(afterSeq, PageSize);
        return (page.Seqs.Select((seq, i) => (seq, new UpstreamMessage(seq, page.Senders[i], page.Envelopes[i]))), page.NextAfter is not null);
    }

    private async Task<(IEnumerable<(long Seq, SessionEvent Item)> Page, bool MaybeMore)> ReadSessionEventsAsync(long afterSeq)
    {
        var page = await SessionEvents.ReadAsync(afterSeq, PageSize);
        return (page.Select(e => (e.Seq, e)), page.Count == PageSize);
    }

    private void Send(Func<Task> call, string subscriber)
    {
        // One-way: the answer never comes, and a failure shows as a missing acknowledgement.
        try
        {
            call().Ignore();
        }
        catch (Exception e) when (e is OrleansException or InvalidOperationException)
        {
            LogSendFailed(logger, AppId, subscriber, e.Message);
        }
    }

    private async Task SaveAsync()
    {
        var changed = Collect(groups, state.State.Cursors) | Collect(eventGroups, state.State.EventCursors);
        if (changed)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not fatal: the cursors are written again at the next tick; until then a restart redelivers more.
                foreach (var group in groups.Values)
                {
                    group.Saved = -1;
                }

                foreach (var group in eventGroups.Values)
                {
                    group.Saved = -1;
                }

                LogSaveFailed(logger, AppId, e.Message);
            }
        }
    }

    private static bool Collect<T>(Dictionary<string, ConsumerGroup<T>> all, Dictionary<string, long> cursors)
    {
        var changed = false;
        foreach (var group in all.Values)
        {
            var acknowledged = group.Acknowledged;
            if (acknowledged != group.Saved)
            {
                cursors[group.Key] = acknowledged;
                group.Saved = acknowledged;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// The session-events group of this key; a new one starts at the tenant's last stored event (a backend gets the events
    /// from when it first asked, not the retained history), and that start is written at once so a restart cannot skip ahead.
    /// </summary>
    private async Task EventGroupOfAsync(string key)
    {
        if (eventGroups.ContainsKey(key))
        {
            return;
        }

        if (!state.State.EventCursors.TryGetValue(key, out var start))
        {
            start = await SessionEvents.GetLastSeqAsync();
            state.State.EventCursors[key] = start;
            await state.WriteStateAsync();
        }

        eventGroups[key] = new ConsumerGroup<SessionEvent>(key, start);
    }

    private ConsumerGroup<UpstreamMessage> GroupOf(string key)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new ConsumerGroup<UpstreamMessage>(key, state.State.Cursors.GetValueOrDefault(key));
            groups[key] = group;
        }

        return group;
    }

    private static bool IsLive(UpstreamSubscriber subscriber, DateTimeOffset now) => now - subscriber.RenewedAt < Lease;

    private static void Validate(BackendSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (string.IsNullOrEmpty(subscription.Name) || subscription.Name.Length > 64
            || !subscription.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw AppMsgException.Invalid("name", "name must be 1 to 64 letters, digits, '-', '_' or '.'");
        }

        if (!Enum.IsDefined(subscription.Mode))
        {
            throw AppMsgException.Invalid("mode", "mode must be Shared or Broadcast");
        }

        if (subscription.AckTimeoutSeconds is < 1 or > 3_600)
        {
            throw AppMsgException.Invalid("ackTimeoutSeconds", "ackTimeoutSeconds must be 1 to 3600");
        }

        if (subscription.MaxInFlight is < 1 or > 1_000)
        {
            throw AppMsgException.Invalid("maxInFlight", "maxInFlight must be 1 to 1000");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: backend {Name} subscribed ({Mode})")]
    private static partial void LogSubscribed(ILogger logger, string appId, string name, BackendDeliveryMode mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: backend {Name} subscribed anew; {Count} messages in flight to it go out again")]
    private static partial void LogReplaced(ILogger logger, string appId, string name, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: backend {Name} did not renew its subscription; {Count} messages in flight to it go out again")]
    private static partial void LogLapsed(ILogger logger, string appId, string name, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: {Count} messages of group {Group} were not acknowledged in time; sending them again")]
    private static partial void LogRedelivering(ILogger logger, string appId, string group, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: acknowledgement from unknown backend {Name} ignored")]
    private static partial void LogUnknownAcknowledgement(ILogger logger, string appId, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: sending to backend {Name} failed: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string appId, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: reading for group {Group} failed: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string appId, string group, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: writing the upstream cursors failed: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string appId, string reason);
}
