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
/// after a crash a backend may see a message twice, never zero times.
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

    private const int PageSize = 200;
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, UpstreamSubscriber> subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UpstreamGroup> groups = new(StringComparer.Ordinal);
    private string? tenantId;
    private bool sessionEventsRegistered;

    private string AppId => this.GetPrimaryKeyString();

    private ITimelineGrain Timeline => GrainFactory.GetGrain<ITimelineGrain>(AppUpstream.TimelineOf(AppId));

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
            if (known.Group != groupKey || !known.Observer.Equals(observer))
            {
                // A new incarnation (or a new mode): what its predecessor did not acknowledge goes out again now.
                var requeued = groups.TryGetValue(known.Group, out var old) ? old.Requeue(known.Name) : 0;
                LogReplaced(logger, AppId, known.Name, requeued);
                known.Stalled = false;
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
        if (subscription.SessionEvents && !sessionEventsRegistered)
        {
            await GrainFactory.GetGrain<ISessionEventsGrain>(tenantId).AddAppAsync(AppId);
            sessionEventsRegistered = true;
        }

        await PumpAsync();
    }

    public async Task UnsubscribeAsync(string name)
    {
        if (subscribers.Remove(name, out var gone) && groups.TryGetValue(gone.Group, out var group))
        {
            group.Requeue(name);
            await PumpAsync();
        }
    }

    public Task AcknowledgeAsync(string name, long seq) => AcknowledgeManyAsync(name, [seq]);

    public async Task AcknowledgeManyAsync(string name, IReadOnlyList<long> seqs)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        var group = subscribers.TryGetValue(name, out var subscriber) ? groups.GetValueOrDefault(subscriber.Group)
            : groups.GetValueOrDefault(BroadcastGroupPrefix + name) ?? groups.GetValueOrDefault(SharedGroup);
        if (group is null)
        {
            LogUnknownAcknowledgement(logger, AppId, name);
            return;
        }

        foreach (var seq in seqs)
        {
            group.Acknowledge(seq, out _);
        }

        if (subscriber is not null)
        {
            subscriber.Stalled = false;
        }

        await PumpAsync();
    }

    public Task<IReadOnlyList<UpstreamGroupStatus>> GetStatusAsync()
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<UpstreamGroupStatus> status =
        [
            .. groups.Values.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new UpstreamGroupStatus(
                g.Key, g.Acknowledged, g.InFlight.Count,
                [.. subscribers.Values.Where(s => s.Group == g.Key && IsLive(s, now)).Select(s => s.Name).Order(StringComparer.Ordinal)])),
        ];
        return Task.FromResult(status);
    }

    public async Task OnStoredAsync(UpstreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var group in groups.Values)
        {
            group.OnStored(message);
        }

        GrainFactory.GetGrain<IWebhookGrain>(AppId).OnStoredAsync(message.Seq).Ignore();
        await PumpAsync();
    }

    public Task OnSessionEventAsync(SessionEvent sessionEvent)
    {
        var now = clock.GetUtcNow();
        foreach (var subscriber in subscribers.Values)
        {
            if (subscriber.Options.SessionEvents && IsLive(subscriber, now))
            {
                Send(() => subscriber.Observer.OnSessionEventAsync(AppId, sessionEvent), subscriber.Name);
            }
        }

        GrainFactory.GetGrain<IWebhookGrain>(AppId).OnSessionEventAsync(sessionEvent).Ignore();
        return Task.CompletedTask;
    }

    private async Task TickAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var lapsed in subscribers.Values.Where(s => !IsLive(s, now)).ToList())
        {
            subscribers.Remove(lapsed.Name);
            var requeued = groups.TryGetValue(lapsed.Group, out var group) ? group.Requeue(lapsed.Name) : 0;
            LogLapsed(logger, AppId, lapsed.Name, requeued);
        }

        foreach (var group in groups.Values)
        {
            var overdue = group.RequeueWhere(f =>
            {
                if (!subscribers.TryGetValue(f.Subscriber, out var to) || to.Group != group.Key)
                {
                    return true;
                }

                if (now - f.SentAt < to.AckTimeout)
                {
                    return false;
                }

                to.Stalled = true;
                return true;
            });
            if (overdue > 0)
            {
                LogRedelivering(logger, AppId, group.Key, overdue);
            }
        }

        await PumpAsync();
        await SaveAsync();
    }

    /// <summary>Reads what each group's live subscribers have room for and sends it.</summary>
    private async Task PumpAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var group in groups.Values)
        {
            var live = subscribers.Values.Where(s => s.Group == group.Key && IsLive(s, now)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            if (live.Count == 0)
            {
                continue;
            }

            // Stalled subscribers get work only when no healthy one is left. A subscriber gets its next batch only
            // when the previous one is acknowledged: one-way calls to a client may run in any order, batches must not.
            var candidates = live.Where(s => !s.Stalled).ToList() is { Count: > 0 } healthy ? healthy : live;
            var room = candidates.ToDictionary(s => s.Name, s => group.InFlightTo(s.Name) == 0 ? s.Options.MaxInFlight : 0, StringComparer.Ordinal);
            var capacity = room.Values.Sum();
            try
            {
                while (group.Ready.Count < capacity && group.MaybeMore)
                {
                    group.OnRead(await Timeline.ReadAsync(group.ReadUpTo, PageSize));
                }
            }
            catch (Exception e) when (e is AppMsgException or TimeoutException or OrleansException)
            {
                LogReadFailed(logger, AppId, e.Message);
            }

            var batches = new Dictionary<string, List<UpstreamMessage>>(StringComparer.Ordinal);
            foreach (var message in group.Ready.Values.ToList())
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
                group.Ready.Remove(message.Seq);
                group.InFlight[message.Seq] = new InFlightMessage(message, to.Name, now);
                (batches.TryGetValue(to.Name, out var batch) ? batch : batches[to.Name] = []).Add(message);
            }

            foreach (var (name, batch) in batches)
            {
                var observer = subscribers[name].Observer;
                Send(() => observer.OnMessagesAsync(AppId, batch), name);
            }
        }
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
        var changed = false;
        foreach (var group in groups.Values)
        {
            var acknowledged = group.Acknowledged;
            if (acknowledged != group.Saved)
            {
                state.State.Cursors[group.Key] = acknowledged;
                group.Saved = acknowledged;
                changed = true;
            }
        }

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

                LogSaveFailed(logger, AppId, e.Message);
            }
        }
    }

    private UpstreamGroup GroupOf(string key)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new UpstreamGroup(key, state.State.Cursors.GetValueOrDefault(key));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: reading the upstream timeline failed: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string appId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: writing the upstream cursors failed: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string appId, string reason);
}
