using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Messaging;
using AppMsg.Notifications;
using AppMsg.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Turns stored messages into provider requests, beside live delivery and never in its way. A timeline grain
/// offers each stored message without waiting (<see cref="Offer"/>: a bounded queue; when it is full the
/// notification is dropped and counted, never the sender held up). One loop resolves the offered messages in
/// batches: the registered devices of the recipients (one query per qun however large), the recipients who muted
/// the sender or qun, and which devices' terminal type has a live session (those wait <see cref="PushOptions.AckDelay"/>
/// and are notified only if the terminal has not acknowledged the message by then). Each (message, device) is
/// claimed once in <c>push_sent</c> before it is queued, so nothing is sent twice. Senders take jobs from a bounded
/// queue with at most <see cref="MaxInFlight"/> provider requests at a time; transient failures wait (Retry-After,
/// else exponential backoff with jitter) and are tried again up to <see cref="MaxAttempts"/> times.
/// </summary>
public sealed partial class PushPipeline : IHostedService, IDisposable
{
    public const int IncomingCapacity = 10_000;
    public const int BroadcastCapacity = 1_000;
    public const int BroadcastPage = 2_000;
    public const int SendQueueCapacity = 20_000;
    public const int MaxInFlight = 1_024;
    public const int MaxDelayed = 100_000;
    public const int MaxWaitingRetries = 20_000;
    public const int MaxAttempts = 5;

    /// <summary>The outcome of a notification whose tenant was disabled before it went out.</summary>
    public const string DroppedForDisabledTenant = "failed:tenant_disabled";
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan SentRecordsKept = TimeSpan.FromDays(31);

    private const int ResolveBatch = 100;
    private const int CursorChecksInParallel = 64;
    private const int OutcomeBatch = 1_000;
    private const int ClaimBatch = 5_000;
    private static readonly TimeSpan BroadcastBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DelayedTick = TimeSpan.FromMilliseconds(250);

    private readonly PushStore store;
    private readonly PushCredentialCache credentials;
    private readonly ApnsSender apns;
    private readonly FcmSender fcm;
    private readonly WebPushSender webPush;
    private readonly PushMetrics metrics;
    private readonly IGrainFactory grains;
    private readonly RecipientChecks checks;
    private readonly PushBadges badges;
    private readonly NotificationStats stats;
    private readonly AppMsg.Directory.TenantInfoCache tenants;
    private readonly IHostApplicationLifetime lifetime;
    private readonly TimeProvider clock;
    private readonly ILogger<PushPipeline> logger;
    private readonly TimeSpan ackDelay;

    private readonly Channel<NotificationRequest> incoming = Channel.CreateBounded<NotificationRequest>(new BoundedChannelOptions(IncomingCapacity) { SingleReader = true });
    private readonly Channel<NotificationRequest> broadcasts = Channel.CreateBounded<NotificationRequest>(new BoundedChannelOptions(BroadcastCapacity) { SingleReader = true });
    private readonly Channel<PushJob> jobs = Channel.CreateBounded<PushJob>(new BoundedChannelOptions(SendQueueCapacity) { SingleReader = true });
    private readonly Channel<(string MessageId, string UserId, string DeviceId, string State)> outcomes =
        Channel.CreateBounded<(string, string, string, string)>(new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<(string AppId, string Platform, string Token)> deadTokens =
        Channel.CreateBounded<(string, string, string)>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly PriorityQueue<(NotificationRequest Request, RegisteredDevice Device), DateTimeOffset> delayed = new();
    private bool anyDevices;
    private DateTimeOffset anyDevicesReadAt = DateTimeOffset.MinValue;
    private readonly SemaphoreSlim inFlight = new(MaxInFlight);
    private readonly CancellationTokenSource stopping = new();
    private int waitingRetries;
    private Task[] loops = [];

    public PushPipeline(
        PushStore store, PushCredentialCache credentials, ApnsSender apns, FcmSender fcm, WebPushSender webPush, PushMetrics metrics,
        IGrainFactory grains, RecipientChecks checks, PushBadges badges, NotificationStats stats, AppMsg.Directory.TenantInfoCache tenants, IHostApplicationLifetime lifetime, IOptions<PushOptions> options, TimeProvider clock, ILogger<PushPipeline> logger)
    {
        this.store = store;
        this.credentials = credentials;
        this.apns = apns;
        this.fcm = fcm;
        this.webPush = webPush;
        this.metrics = metrics;
        this.grains = grains;
        this.checks = checks;
        this.badges = badges;
        this.stats = stats;
        this.tenants = tenants;
        this.lifetime = lifetime;
        this.clock = clock;
        this.logger = logger;
        ackDelay = options.Value.AckDelay;
    }

    /// <summary>Hands a stored message over without waiting; false (counted, logged) when the queue is full.</summary>
    public bool Offer(NotificationRequest request)
    {
        var queue = request.Kind is AddressKind.User or AddressKind.Qun ? incoming : broadcasts;
        if (queue.Writer.TryWrite(request))
        {
            return true;
        }

        metrics.Count("-", "-", "dropped");
        LogDropped(logger, request.MessageId, queue == incoming ? IncomingCapacity : BroadcastCapacity);
        return false;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        loops = [Task.Run(ResolveLoopAsync), Task.Run(BroadcastLoopAsync), Task.Run(DelayedLoopAsync), Task.Run(SendLoopAsync), Task.Run(OutcomeLoopAsync), Task.Run(PruneLoopAsync), Task.Run(MuteEventsLoopAsync)];
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        stopping.Dispose();
        inFlight.Dispose();
    }

    private async Task ResolveLoopAsync()
    {
        var batch = new List<NotificationRequest>(ResolveBatch);
        try
        {
            while (await incoming.Reader.WaitToReadAsync(stopping.Token))
            {
                batch.Clear();
                while (batch.Count < ResolveBatch && incoming.Reader.TryRead(out var request))
                {
                    batch.Add(request);
                }

                try
                {
                    await ResolveAsync(batch);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    metrics.Count("-", "-", "failed:resolve", batch.Count);
                    LogResolveFailed(logger, e, batch.Count);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A device was registered through this silo: the "no devices anywhere" shortcut ends at once.</summary>
    public void NoteDeviceRegistered() => anyDevices = true;

    /// <summary>
    /// Whether any device is registered, re-read every 10 s while none is: a cluster without notifications pays one
    /// tiny query per 10 s, not one per message. (The first device registered through another silo counts within 10 s.)
    /// </summary>
    private async Task<bool> AnyDevicesAsync()
    {
        if (!anyDevices && clock.GetUtcNow() - anyDevicesReadAt > TimeSpan.FromSeconds(10))
        {
            anyDevices = await store.AnyDevicesAsync();
            anyDevicesReadAt = clock.GetUtcNow();
        }

        return anyDevices;
    }

    private async Task BroadcastLoopAsync()
    {
        try
        {
            await foreach (var request in broadcasts.Reader.ReadAllAsync(stopping.Token))
            {
                try
                {
                    await BroadcastAsync(request);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    metrics.Count("-", "-", "failed:resolve");
                    LogResolveFailed(logger, e, 1);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// An org, tenant or app broadcast, a page of <see cref="BroadcastPage"/> devices at a time: the next page is read only
    /// while the send queue is at most a quarter full, so a tenant of 100,000 users neither fills memory nor queues ahead
    /// of the direct and qun messages resolved meanwhile.
    /// </summary>
    private async Task BroadcastAsync(NotificationRequest request)
    {
        if (!await AnyDevicesAsync())
        {
            return;
        }

        var (kind, audience) = request.Kind == AddressKind.App
            ? (AddressKind.Tenant, (await grains.GetGrain<IAppGrain>(request.TargetId).GetAsync())?.TenantId)
            : (request.Kind, request.TargetId);
        if (audience is null)
        {
            return;
        }

        var after = ("", "");
        while (request.ExpiresAt > clock.GetUtcNow())
        {
            while (jobs.Reader.Count > SendQueueCapacity / 4)
            {
                await Task.Delay(BroadcastBackoff, clock, stopping.Token);
            }

            var page = await store.DevicesOfAudienceAsync(kind, audience, request.TerminalTypes, after, BroadcastPage);
            if (page.Count == 0)
            {
                return;
            }

            var full = page.Count == BroadcastPage;
            after = (page[^1].UserId, page[^1].Device.DeviceId);
            RemoveSender(request, page);
            await DecideAsync([(request, page)]);
            if (!full)
            {
                return;
            }
        }
    }

    private async Task ResolveAsync(List<NotificationRequest> batch)
    {
        if (!await AnyDevicesAsync())
        {
            return;
        }

        // Inbox messages of the batch: one query for all their users; a qun's members: one join per qun message.
        var inboxUsers = batch.Where(r => r.Kind == AddressKind.User).Select(r => r.TargetId).Distinct().ToArray();
        var inboxDevices = (inboxUsers.Length == 0 ? [] : await store.DevicesOfUsersAsync(inboxUsers, 31)).ToLookup(d => d.UserId);
        var now = clock.GetUtcNow();
        var candidates = new List<(NotificationRequest Request, List<RegisteredDevice> Devices)>(batch.Count);
        foreach (var request in batch)
        {
            if (request.ExpiresAt <= now)
            {
                continue;
            }

            var devices = request.Kind == AddressKind.User
                ? inboxDevices[request.TargetId].Where(d => (d.Device.TerminalType & request.TerminalTypes) != 0).ToList()
                : await store.DevicesOfQunAsync(request.TargetId, request.TerminalTypes);
            RemoveSender(request, devices);
            if (devices.Count > 0)
            {
                candidates.Add((request, devices));
            }
        }

        await DecideAsync(candidates);
    }

    /// <summary>The sender's own devices are not notified of its message.</summary>
    private static void RemoveSender(NotificationRequest request, List<RegisteredDevice> devices)
    {
        var sender = request.From.EndsWith("@user", StringComparison.Ordinal) ? request.From[..^5] : null;
        if (sender is not null)
        {
            devices.RemoveAll(d => d.UserId == sender);
        }
    }

    /// <summary>
    /// For each candidate device: skipped when its user muted the sender (or qun), notified at once when no session of its
    /// terminal type is live, else after the acknowledgement delay unless acknowledged by then.
    /// </summary>
    private async Task DecideAsync(List<(NotificationRequest Request, List<RegisteredDevice> Devices)> candidates)
    {
        // Each recipient is asked once per batch, however many of its messages the batch holds: its mutes and live terminal types.
        var recipients = await checks.CheckAsync([.. candidates.SelectMany(c => c.Devices).Select(d => d.UserId).Distinct(StringComparer.Ordinal)]);
        var ready = new List<(NotificationRequest, RegisteredDevice)>();
        var waitUntil = clock.GetUtcNow() + ackDelay;
        foreach (var (request, devices) in candidates)
        {
            foreach (var device in devices)
            {
                var recipient = recipients[device.UserId];
                if (recipient.Muted.Contains(request.From) || (request.Kind == AddressKind.Qun && recipient.Muted.Contains(request.Timeline)))
                {
                    metrics.Count(device.Device.AppId, device.Device.Platform, "muted");
                }
                else if ((recipient.LiveTerminalTypes & device.Device.TerminalType) == 0)
                {
                    ready.Add((request, device));
                }
                else
                {
                    Delay(request, device, waitUntil);
                }
            }
        }

        await DispatchAsync(await WithNotificationsAsync(ready));
    }

    private void Delay(NotificationRequest request, RegisteredDevice device, DateTimeOffset until)
    {
        lock (delayed)
        {
            if (delayed.Count < MaxDelayed)
            {
                delayed.Enqueue((request, device), until);
                return;
            }
        }

        metrics.Count(device.Device.AppId, device.Device.Platform, "dropped");
    }

    /// <summary>Claims each (message, device) in the store and queues the claimed ones; one claimed before is skipped.</summary>
    private async Task DispatchAsync(List<(NotificationRequest Request, RegisteredDevice Device, PushNotification Notification)> ready)
    {
        if (ready.Count == 0)
        {
            return;
        }

        foreach (var chunk in ready.Chunk(ClaimBatch))
        {
            var claimed = await store.ClaimAsync([.. chunk.Select(r => (r.Request.MessageId, r.Device.UserId, r.Device.Device.DeviceId, r.Device.Device.AppId))]);
            var badged = await badges.BadgesAsync(chunk
                .Where(r => r.Device.Device.Platform == PushPlatforms.Apns && claimed.Contains((r.Request.MessageId, r.Device.UserId, r.Device.Device.DeviceId)))
                .Select(r => r.Device.UserId).ToHashSet(StringComparer.Ordinal));

            // A badge makes a notification of its own; recipients with the same count share it (and its serialized body).
            var withBadge = new Dictionary<(PushNotification, int), PushNotification>();
            foreach (var (request, device, notification) in chunk)
            {
                if (!claimed.Contains((request.MessageId, device.UserId, device.Device.DeviceId)))
                {
                    continue;
                }

                var sent = notification;
                if (device.Device.Platform == PushPlatforms.Apns && badged.TryGetValue(device.UserId, out var badge)
                    && !withBadge.TryGetValue((notification, badge), out sent))
                {
                    withBadge[(notification, badge)] = sent = notification with { Badge = badge };
                }

                await jobs.Writer.WriteAsync(new PushJob(request, device, sent!, 1), stopping.Token);
            }
        }
    }

    private async Task DelayedLoopAsync()
    {
        using var timer = new PeriodicTimer(DelayedTick);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                List<(NotificationRequest Request, RegisteredDevice Device)> due = [];
                var now = clock.GetUtcNow();
                lock (delayed)
                {
                    while (delayed.TryPeek(out var entry, out var at) && at <= now)
                    {
                        delayed.Dequeue();
                        due.Add(entry);
                    }
                }

                if (due.Count == 0)
                {
                    continue;
                }

                try
                {
                    await NotifyUnacknowledgedAsync(due);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    metrics.Count("-", "-", "failed:resolve", due.Count);
                    LogResolveFailed(logger, e, due.Count);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Of the devices whose terminal was live, notifies those whose terminal type has not acknowledged the message.</summary>
    private async Task NotifyUnacknowledgedAsync(List<(NotificationRequest Request, RegisteredDevice Device)> due)
    {
        var unacknowledged = new ConcurrentBag<(NotificationRequest, RegisteredDevice)>();
        await Parallel.ForEachAsync(due.GroupBy(d => (d.Device.UserId, d.Device.Device.TerminalType)), new ParallelOptions { MaxDegreeOfParallelism = CursorChecksInParallel }, async (group, _) =>
        {
            var cursors = await grains.GetGrain<IUserCursorsGrain>(group.Key.UserId).GetAsync(group.Key.TerminalType);
            foreach (var (request, device) in group)
            {
                if (cursors.TryGetValue(request.Timeline, out var acknowledged) && acknowledged >= request.Seq)
                {
                    metrics.Count(device.Device.AppId, device.Device.Platform, "cancelled");
                    continue;
                }

                unacknowledged.Add((request, device));
            }
        });
        await DispatchAsync(await WithNotificationsAsync([.. unacknowledged]));
    }

    /// <summary>
    /// Each (message, device) with what it carries: made once per (message, app), from the app's template (read with its
    /// credentials), the sender's name and the qun's.
    /// </summary>
    private async Task<List<(NotificationRequest Request, RegisteredDevice Device, PushNotification Notification)>> WithNotificationsAsync(
        IReadOnlyList<(NotificationRequest Request, RegisteredDevice Device)> pairs)
    {
        var senders = new Dictionary<string, string>(StringComparer.Ordinal);
        var quns = new Dictionary<string, string>(StringComparer.Ordinal);
        var made = new Dictionary<(string MessageId, string AppId), PushNotification>();
        var result = new List<(NotificationRequest, RegisteredDevice, PushNotification)>(pairs.Count);
        foreach (var (request, device) in pairs)
        {
            var appId = device.Device.AppId;
            if (!made.TryGetValue((request.MessageId, appId), out var notification))
            {
                if (!senders.TryGetValue(request.From, out var sender))
                {
                    senders[request.From] = sender = await TitleAsync(request.From);
                }

                var qun = "";
                if (request.Kind == AddressKind.Qun && !quns.TryGetValue(request.TargetId, out qun))
                {
                    quns[request.TargetId] = qun = (await grains.GetGrain<IQunGrain>(request.TargetId).GetAsync())?.Name ?? "";
                }

                made[(request.MessageId, appId)] = notification = Notification(request, sender, qun, await TemplateAsync(appId));
            }

            result.Add((request, device, notification));
        }

        return result;
    }

    /// <summary>The app's template; none (the defaults) when its settings cannot be read now.</summary>
    private async Task<PushTemplate?> TemplateAsync(string appId)
    {
        try
        {
            return (await credentials.GetAsync(appId)).Template;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var job in jobs.Reader.ReadAllAsync(stopping.Token))
            {
                await inFlight.WaitAsync(stopping.Token);
                _ = SendAsync(job);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(PushJob job)
    {
        var device = job.Device.Device;
        try
        {
            if (job.Notification.ExpiresAt <= clock.GetUtcNow())
            {
                Record(job, "expired");
                return;
            }

            var app = await credentials.GetAsync(device.AppId);

            // Accepted before the tenant was disabled (or a retry of such a send): dropped, counted as failed with this
            // reason, never held (a notification is news only now); docs/directory-people.md, "Disabling a tenant".
            if (app.TenantId is { } tenantId && (await tenants.GetAsync(tenantId))?.Disabled == true)
            {
                Record(job, DroppedForDisabledTenant);
                return;
            }

            if (job.Attempt == 1)
            {
                metrics.Latency(Stopwatch.GetElapsedTime(job.Request.AcceptedAt));
            }

            var notification = job.Notification;
            var result = device.Platform switch
            {
                PushPlatforms.Apns => await apns.SendAsync(app, job.Device, notification, stopping.Token),
                PushPlatforms.Fcm => await fcm.SendAsync(app, job.Device, notification, stopping.Token),
                _ => await webPush.SendAsync(app, job.Device, notification, stopping.Token),
            };
            switch (result.Status)
            {
                case SendStatus.Sent:
                    Record(job, "sent");
                    break;
                case SendStatus.Unregistered:
                    deadTokens.Writer.TryWrite((device.AppId, device.Platform, job.Device.Token));
                    Record(job, "pruned");
                    LogPruned(logger, device.AppId, device.Platform, job.Device.UserId, device.DeviceId, result.Reason);
                    break;
                case SendStatus.Retry when job.Attempt < MaxAttempts && Interlocked.Increment(ref waitingRetries) <= MaxWaitingRetries:
                    metrics.Count(device.AppId, device.Platform, "retried");
                    RetryLaterAsync(job, RetryWait(job.Attempt, result.RetryAfter)).Ignore();
                    break;
                case SendStatus.Retry:
                    if (job.Attempt < MaxAttempts)
                    {
                        Interlocked.Decrement(ref waitingRetries);
                    }

                    Record(job, "failed:" + result.Reason);
                    break;
                default:
                    Record(job, "failed:" + result.Reason);
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Record(job, "failed:error");
            LogSendFailed(logger, e, device.AppId, device.Platform);
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>The provider's Retry-After (at most <see cref="MaxRetryWait"/>) plus up to 10% jitter, else 1, 2, 4, 8 s each ±50%.</summary>
    public static TimeSpan RetryWait(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            var wait = asked < MaxRetryWait ? asked : MaxRetryWait;
            return wait + (wait * (Random.Shared.NextDouble() * 0.1));
        }

        var backoff = TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
        return backoff * (0.5 + Random.Shared.NextDouble());
    }

    private async Task RetryLaterAsync(PushJob job, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, clock, stopping.Token);
            await jobs.Writer.WriteAsync(job with { Attempt = job.Attempt + 1 }, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref waitingRetries);
        }
    }

    private void Record(PushJob job, string state)
    {
        var device = job.Device.Device;
        metrics.Count(device.AppId, device.Platform, state);
        stats.Count(device.AppId, state);
        outcomes.Writer.TryWrite((job.Request.MessageId, job.Device.UserId, device.DeviceId, state));
    }

    private async Task OutcomeLoopAsync()
    {
        var batch = new List<(string, string, string, string)>(OutcomeBatch);
        try
        {
            while (await outcomes.Reader.WaitToReadAsync(stopping.Token))
            {
                batch.Clear();
                while (batch.Count < OutcomeBatch && outcomes.Reader.TryRead(out var outcome))
                {
                    batch.Add(outcome);
                }

                try
                {
                    List<(string, string, string)> dead = [];
                    while (dead.Count < OutcomeBatch && deadTokens.Reader.TryRead(out var token))
                    {
                        dead.Add(token);
                    }

                    if (dead.Count > 0)
                    {
                        await store.DeleteTokensAsync(dead);
                    }

                    await store.RecordOutcomesAsync(batch);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogOutcomesFailed(logger, e, batch.Count);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Keeps <see cref="RecipientChecks"/> subscribed to mute changes (the events' subscriptions lapse after 5 minutes).</summary>
    private async Task MuteEventsLoopAsync()
    {
        var reference = grains.CreateObjectReference<IMembershipObserver>(checks);
        try
        {
            // The silo takes grain calls once the host has started.
            using (var startedOrStopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stopping.Token))
            {
                await Task.Delay(Timeout.Infinite, startedOrStopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            while (!stopping.IsCancellationRequested)
            {
                var wait = TimeSpan.FromMinutes(1);
                try
                {
                    await grains.GetGrain<IMembershipEventsGrain>(0).SubscribeAsync(reference);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The silo may not take calls yet; cached mutes still lapse after RecipientChecks.MutesKeptFor.
                    wait = TimeSpan.FromSeconds(1);
                    LogMuteEventsNotSubscribed(logger, e.Message);
                }

                await Task.Delay(wait, clock, stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PruneLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    await store.PruneSentAsync(SentRecordsKept);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogOutcomesFailed(logger, e, 0);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Title and body: the sender's <see cref="NotificationOverride"/> if any, else the app's template with its placeholders
    /// filled (default: the sender's name, the content); each cut safely (<see cref="NotificationText.Truncate"/>).
    /// </summary>
    private static PushNotification Notification(NotificationRequest request, string sender, string qun, PushTemplate? template)
    {
        var custom = request.Override;
        List<KeyValuePair<string, string>> data =
        [
            new(PushNotification.MessageIdField, request.MessageId),
            new(PushNotification.TimelineField, request.Timeline),
            new(PushNotification.SeqField, request.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        foreach (var (key, value) in custom?.Data ?? new Dictionary<string, string>())
        {
            if (!PushNotification.IsMessageField(key))
            {
                data.Add(new(key, value));
            }
        }

        var content = NotificationText.Body(request.Type, request.Content);
        string Fill(string text) => text.Replace("{sender}", sender, StringComparison.Ordinal).Replace("{qun}", qun, StringComparison.Ordinal)
            .Replace("{content}", content, StringComparison.Ordinal);
        var title = custom?.Title ?? (template?.Title is { } titleTemplate ? Fill(titleTemplate) : sender);
        var body = custom?.Body ?? (template?.Body is { } bodyTemplate ? Fill(bodyTemplate) : content);
        return new PushNotification(
            NotificationText.Truncate(title, NotificationText.MaxTitleLength),
            NotificationText.Truncate(body, NotificationText.MaxBodyLength),
            custom?.Sound,
            data,
            request.Timeline,
            request.ExpiresAt,
            custom?.HighPriority ?? false);
    }

    /// <summary>The title: the sending user's display name (else user name) or app's name.</summary>
    private async Task<string> TitleAsync(string from)
    {
        if (!Address.TryParse(from, out var address))
        {
            return "AppMsg";
        }

        return address.Kind switch
        {
            AddressKind.User => await grains.GetGrain<IUserGrain>(address.Id).GetAsync() is { } user
                ? (string.IsNullOrEmpty(user.DisplayName) ? user.Username : user.DisplayName)
                : "AppMsg",
            AddressKind.App => (await grains.GetGrain<IAppGrain>(address.Id).GetAsync())?.Name ?? "AppMsg",
            _ => "AppMsg",
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification for message {MessageId} dropped: the notification queue ({Capacity} messages) is full")]
    private static partial void LogDropped(ILogger logger, string messageId, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications for {Count} messages not resolved (devices, mutes, sessions)")]
    private static partial void LogResolveFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push registration pruned: app {AppId} {Platform}, user {UserId} device {DeviceId} ({Reason})")]
    private static partial void LogPruned(ILogger logger, string appId, string platform, string userId, string deviceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification to app {AppId} {Platform} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string appId, string platform);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Not subscribed to mute changes yet: {Reason}")]
    private static partial void LogMuteEventsNotSubscribed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification outcomes not recorded ({Count})")]
    private static partial void LogOutcomesFailed(ILogger logger, Exception exception, int count);
}
