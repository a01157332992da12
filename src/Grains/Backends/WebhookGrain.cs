using AppMsg.Backends;
using AppMsg.Directory;
using AppMsg.Grains.Security;
using AppMsg.Messaging;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AppMsg.Grains.Backends;

/// <summary>
/// POSTs an app's upstream to its webhook, one item at a time and in seq order, from a pump that runs
/// beside the grain's calls (the grain is reentrant), so neither senders nor the API ever wait for the
/// webhook. Session events of the app's tenant (when asked for) are read from the tenant's stored session-events timeline
/// from their own cursor. A reminder brings the pump back after a silo restart while a backlog may remain.
/// </summary>
[Reentrant]
public sealed partial class WebhookGrain(
    [PersistentState("webhook", StorageNames.Default)] IPersistentState<WebhookState> state,
    WebhookSender sender,
    SecretProtector secrets,
    TenantInfoCache tenants,
    TimeProvider clock,
    ILogger<WebhookGrain> logger) : Grain, IWebhookGrain, IRemindable
{
    public const int MaxDeadLetters = 1_000;

    private const int PageSize = 50;
    private const string ReminderName = "webhook-pump";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan IdleBeforeReminderEnds = TimeSpan.FromMinutes(3);

    private readonly Queue<DeadLetter> replays = new();
    private Task saving = Task.CompletedTask;
    private bool running;
    private bool again;
    private bool dirty;
    private long knownLast;
    private long knownEventsLast;
    private DateTimeOffset lastActivity;
    private IGrainReminder? reminder;
    private string? signingSecret;

    private string AppId => this.GetPrimaryKeyString();

    private WebhookState Webhook => state.State;

    /// <summary>What the signing secret's encryption is bound to: this app's webhook.</summary>
    private string SecretPurpose => "webhook/" + AppId;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        lastActivity = clock.GetUtcNow();
        reminder = await this.GetReminder(ReminderName);
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = true });
        ReencryptSigningSecret();
        EnsurePump();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (dirty)
        {
            await SaveAsync();
        }
    }

    public Task<WebhookStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task<WebhookStatus> UpdateSettingsAsync(WebhookSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxAttempts is < 1 or > 20)
        {
            throw AppMsgException.Invalid("maxAttempts", "maxAttempts must be 1 to 20");
        }

        if (settings.InitialBackoffMs is < 100 or > 60_000)
        {
            throw AppMsgException.Invalid("initialBackoffMs", "initialBackoffMs must be 100 to 60000");
        }

        if (settings.TimeoutMs is < 500 or > 30_000)
        {
            throw AppMsgException.Invalid("timeoutMs", "timeoutMs must be 500 to 30000");
        }

        var app = await GrainFactory.GetGrain<IAppGrain>(AppId).GetAsync() ?? throw AppMsgException.NotFound("app");
        if (settings.SessionEvents)
        {
            var sessionEvents = GrainFactory.GetGrain<ISessionEventsGrain>(app.TenantId);
            await sessionEvents.AddAppAsync(AppId);
            if (!Webhook.Settings.SessionEvents)
            {
                // Turned on: from the events stored from now on, not the retained history.
                Webhook.EventsDelivered = Math.Max(Webhook.EventsDelivered, await sessionEvents.GetLastSeqAsync());
            }
        }

        Webhook.Settings = settings;
        await SaveAsync();
        return Status();
    }

    public async Task<string> RotateSigningSecretAsync()
    {
        var secret = Secrets.New();
        Webhook.SigningSecret = secrets.Protect(secret, SecretPurpose);
        signingSecret = secret;
        await SaveAsync();
        return secret;
    }

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync() => Task.FromResult<IReadOnlyList<DeadLetter>>([.. Webhook.DeadLetters]);

    public async Task<bool> ReplayDeadLetterAsync(string id)
    {
        var index = Webhook.DeadLetters.FindIndex(d => d.Id == id);
        if (index < 0)
        {
            return false;
        }

        // Not taken off the list while the tenant is disabled: a replay held in memory could be lost to a deactivation.
        if ((await GrainFactory.GetGrain<IAppGrain>(AppId).GetAsync()) is { } app)
        {
            await tenants.EnsureEnabledAsync(app.TenantId);
        }

        var letter = Webhook.DeadLetters[index];
        Webhook.DeadLetters.RemoveAt(index);
        await SaveAsync();
        replays.Enqueue(letter);
        LogReplaying(logger, AppId, id);
        EnsurePump();
        return true;
    }

    public Task OnStoredAsync(long seq)
    {
        knownLast = Math.Max(knownLast, seq);
        EnsurePump();
        return Task.CompletedTask;
    }

    public Task OnSessionEventsStoredAsync(long seq)
    {
        knownEventsLast = Math.Max(knownEventsLast, seq);
        EnsurePump();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsurePump();
        if (!running && knownLast <= Webhook.Delivered && knownEventsLast <= Webhook.EventsDelivered && clock.GetUtcNow() - lastActivity > IdleBeforeReminderEnds)
        {
            await EndReminderAsync();
        }
    }

    private async Task TickAsync()
    {
        if (knownLast > Webhook.Delivered || knownEventsLast > Webhook.EventsDelivered || replays.Count > 0)
        {
            EnsurePump();
        }

        if (dirty && !running)
        {
            await SaveAsync();
        }
    }

    private void EnsurePump()
    {
        if (running)
        {
            again = true;
            return;
        }

        running = true;
        PumpLoopAsync().Ignore();
    }

    private async Task PumpLoopAsync()
    {
        try
        {
            do
            {
                again = false;
                await PumpOnceAsync();
            }
            while (again);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The tick or the reminder starts the pump again.
            LogPumpFailed(logger, AppId, e.Message);
        }
        finally
        {
            running = false;
        }

        if (dirty)
        {
            await SaveAsync();
        }
    }

    private async Task PumpOnceAsync()
    {
        var app = await GrainFactory.GetGrain<IAppGrain>(AppId).GetAsync();
        if (app?.WebhookUrl is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            // Nobody listens: the cursor follows the timeline, so a webhook set later starts from then.
            if (knownLast > Webhook.Delivered)
            {
                Webhook.Delivered = knownLast;
                dirty = true;
            }

            FollowSessionEvents();
            while (replays.TryDequeue(out var letter))
            {
                AddDeadLetter(letter with { LastError = "no webhook is configured" });
            }

            return;
        }

        if (Webhook.SigningSecret is null)
        {
            var secret = Secrets.New();
            Webhook.SigningSecret = secrets.Protect(secret, SecretPurpose);
            signingSecret = secret;
            await SaveAsync();
        }

        while (replays.TryPeek(out var letter))
        {
            if (!await DeliverAsync(uri, app.TenantId, letter.Kind, letter.Seq, letter.Body, letter.Id))
            {
                return;
            }

            replays.Dequeue();
        }

        var moreEvents = false;
        if (Webhook.Settings.SessionEvents)
        {
            var events = await DeliverSessionEventsAsync(uri, app.TenantId);
            if (events is null)
            {
                return;
            }

            moreEvents = events.Value;
        }
        else
        {
            FollowSessionEvents();
        }

        var page = await GrainFactory.GetGrain<ITimelineGrain>(AppUpstream.TimelineOf(AppId)).ReadAsync(Webhook.Delivered, PageSize);
        if (page.Seqs.Count > 0)
        {
            await EnsureReminderAsync();
        }

        for (var i = 0; i < page.Seqs.Count; i++)
        {
            var seq = page.Seqs[i];
            if (!await DeliverAsync(uri, app.TenantId, "message", seq, WebhookBodies.Message(AppId, seq, page.Senders[i], page.Envelopes[i]), $"{AppId}:{seq}"))
            {
                // Known to wait, so the tick keeps asking and the reminder stays (also after a reactivation).
                knownLast = Math.Max(knownLast, seq);
                return;
            }

            Webhook.Delivered = seq;
            knownLast = Math.Max(knownLast, seq);
            dirty = true;
            if (i % 10 == 9)
            {
                await SaveAsync();
            }
        }

        if (page.NextAfter is not null || moreEvents || replays.Count > 0)
        {
            again = true;
        }
        else
        {
            // Drained (a seq that arrives meanwhile sets again, so the loop reads once more).
            knownLast = Webhook.Delivered;
        }
    }

    /// <summary>
    /// Delivers a page of the tenant's stored session events after the events cursor; true when there may be more, null
    /// when delivery is held (the tenant is disabled).
    /// </summary>
    private async Task<bool?> DeliverSessionEventsAsync(Uri uri, string tenantId)
    {
        var page = await GrainFactory.GetGrain<ISessionEventsGrain>(tenantId).ReadAsync(Webhook.EventsDelivered, PageSize);
        if (page.Count > 0)
        {
            await EnsureReminderAsync();
        }

        for (var i = 0; i < page.Count; i++)
        {
            var sessionEvent = page[i];
            if (!await DeliverAsync(uri, tenantId, "session", sessionEvent.Seq, WebhookBodies.Session(AppId, sessionEvent), $"{AppId}:session:{sessionEvent.Id}"))
            {
                knownEventsLast = Math.Max(knownEventsLast, sessionEvent.Seq);
                return null;
            }

            Webhook.EventsDelivered = sessionEvent.Seq;
            knownEventsLast = Math.Max(knownEventsLast, sessionEvent.Seq);
            dirty = true;
            if (i % 10 == 9)
            {
                await SaveAsync();
            }
        }

        if (page.Count == PageSize)
        {
            return true;
        }

        // Drained (an event stored meanwhile sets again, so the loop reads once more).
        knownEventsLast = Webhook.EventsDelivered;
        return false;
    }

    /// <summary>Nobody takes the session events here: the events cursor follows what was stored, so turning them on starts from then.</summary>
    private void FollowSessionEvents()
    {
        if (knownEventsLast > Webhook.EventsDelivered)
        {
            Webhook.EventsDelivered = knownEventsLast;
            dirty = true;
        }
    }

    /// <summary>
    /// Posts until a 2xx answer or the last attempt; then the item becomes a dead letter (true either way). False when the
    /// tenant is disabled: the item is held, not posted, and comes again once it is enabled (docs/directory-people.md).
    /// </summary>
    private async Task<bool> DeliverAsync(Uri uri, string tenantId, string kind, long seq, byte[] body, string deliveryId)
    {
        var settings = Webhook.Settings;
        var error = "";
        var attempt = 0;
        while (++attempt <= settings.MaxAttempts)
        {
            // Asked before every attempt, so a retry waiting out its back-off is held too. The tick (every TickPeriod)
            // starts the pump again while items wait, and it resumes once this silo's cache sees the tenant enabled.
            if ((await tenants.GetAsync(tenantId))?.Disabled == true)
            {
                return false;
            }

            signingSecret ??= secrets.Unprotect(Webhook.SigningSecret!, SecretPurpose);
            error = await sender.PostAsync(uri, signingSecret, body, deliveryId, attempt, TimeSpan.FromMilliseconds(settings.TimeoutMs));
            lastActivity = clock.GetUtcNow();
            Metrics.SiloMetrics.WebhookPosted(delivered: error is null);
            if (error is null)
            {
                return true;
            }

            LogAttemptFailed(logger, AppId, deliveryId, attempt, error);
            if (attempt < settings.MaxAttempts)
            {
                await Task.Delay(Backoff(settings, attempt), clock);
            }
        }

        LogDeadLettered(logger, AppId, deliveryId, settings.MaxAttempts, error!);
        Metrics.SiloMetrics.WebhookDeadLetter();
        AddDeadLetter(new DeadLetter(Ids.New(), kind, seq, body, settings.MaxAttempts, error!, clock.GetUtcNow()));
        await SaveAsync();
        return true;
    }

    private void AddDeadLetter(DeadLetter letter)
    {
        Webhook.DeadLetters.Add(letter);
        dirty = true;
        while (Webhook.DeadLetters.Count > MaxDeadLetters)
        {
            LogDeadLetterDropped(logger, AppId, Webhook.DeadLetters[0].Id);
            Webhook.DeadLetters.RemoveAt(0);
        }
    }

    /// <summary>
    /// A signing secret stored in clear (before encryption existed) or under the previous key is encrypted
    /// under the current key; the tick writes it.
    /// </summary>
    private void ReencryptSigningSecret()
    {
        if (Webhook.SigningSecret is not { } stored || !secrets.CanProtect || secrets.IsCurrent(stored))
        {
            return;
        }

        try
        {
            signingSecret = secrets.Unprotect(stored, SecretPurpose);
            Webhook.SigningSecret = secrets.Protect(signingSecret, SecretPurpose);
            dirty = true;
        }
        catch (AppMsgException e)
        {
            LogSecretUnreadable(logger, AppId, e.Message);
        }
    }

    private static TimeSpan Backoff(WebhookSettings settings, int attempt)
    {
        var delay = TimeSpan.FromMilliseconds(settings.InitialBackoffMs * Math.Pow(2, Math.Min(attempt - 1, 20)));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    private WebhookStatus Status() => new(Webhook.Settings, Webhook.Delivered, Webhook.DeadLetters.Count, Webhook.SigningSecret is not null, Webhook.EventsDelivered);

    /// <summary>Writes the state; writes never overlap, since the grain is reentrant and the store checks its etag.</summary>
    private Task SaveAsync()
    {
        dirty = false;
        saving = WriteAfterAsync(saving);
        return saving;
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Reported by its own caller.
        }

        await state.WriteStateAsync();
    }

    private async Task EnsureReminderAsync()
    {
        if (reminder is null)
        {
            reminder = await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        }
    }

    private async Task EndReminderAsync()
    {
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
            reminder = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: webhook delivery {DeliveryId} attempt {Attempt} failed: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string appId, string deliveryId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: webhook delivery {DeliveryId} failed {Attempts} times and is now a dead letter: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string appId, string deliveryId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: too many dead letters; dropped the oldest, {Id}")]
    private static partial void LogDeadLetterDropped(ILogger logger, string appId, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {AppId}: replaying dead letter {Id}")]
    private static partial void LogReplaying(ILogger logger, string appId, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "App {AppId}: the webhook signing secret cannot be read: {Reason}")]
    private static partial void LogSecretUnreadable(ILogger logger, string appId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {AppId}: webhook pump stopped, retrying shortly: {Reason}")]
    private static partial void LogPumpFailed(ILogger logger, string appId, string reason);
}
