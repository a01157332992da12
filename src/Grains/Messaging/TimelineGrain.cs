using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Grains.Directory;
using AppMsg.Grains.Sessions;
using AppMsg.Grains.Timelines;
using AppMsg.Messaging;
using AppMsg.Sessions;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AppMsg.Grains.Messaging;

/// <summary>
/// Owns one timeline's numbering. The next seq comes from the store at activation; a second activation
/// (a split cluster) cannot fork the log, because the store refuses a (timeline, seq) twice, and the
/// grain then re-reads the last seq before it answers again.
/// Appends are pipelined: the grain numbers a message and hands it to the group-commit writer without
/// waiting for the previous commit, so many messages of one timeline share a commit; deliveries still go
/// out in seq order (a chain, then one outbox per edge: <see cref="EdgeOutboxes"/>), and when one append fails, the later ones in flight fail too and the grain
/// re-reads the last seq, so the numbering stays without gaps.
/// </summary>
[Reentrant]
public sealed class TimelineGrain(
    TimelineWriter writer,
    TimelineReader reader,
    OrgIndex orgs,
    LiveEdges liveEdges,
    IOptions<MessagingOptions> options,
    Notifications.PushPipeline notifications,
    Media.MediaReferences media,
    Conversations.ConversationIndex conversations,
    Conversations.RecallStore recalls,
    TenantInfoCache tenants,
    Microsoft.Extensions.Logging.ILogger<TimelineGrain> logger) : Grain, ITimelineGrain
{
    private static readonly TimeSpan AudienceLifetime = TimeSpan.FromSeconds(10);

    private const int RecentClientIdsKept = 4_096;

    private long lastSeq = -1;
    private bool broken;

    // Whether this activation served anything but replay reads: a user's inbox read only by a REGISTER replay ends
    // right after it, so idle devices keep no inbox in silo memory.
    private bool servedOthers;
    private Task? reloading;
    private Task deliveries = Task.CompletedTask;
    private readonly Dictionary<(string Sender, string ClientMsgId), Task<MessageReceipt>> recentClientIds = [];
    private readonly Queue<(string Sender, string ClientMsgId)> recentClientIdOrder = new();
    private readonly DateTime activatedAt = DateTime.UtcNow;
    private readonly EdgeOutboxes outboxes = new(logger);
    private readonly Dictionary<string, (long Generation, DateTime RenewedAt)> watchingEdges = new(StringComparer.Ordinal);
    private string[]? audiences;
    private DateTime audiencesRead;
    private string? tenantId;

    private string Timeline => this.GetPrimaryKeyString();

    public async Task<MessageReceipt> AppendAsync(NewMessage message)
    {
        servedOthers = true;
        var limits = options.Value;
        var mediaId = MessageContent.Validate(message.Type, message.Content, limits.MaxContentBytes);
        var ttl = message.TtlSeconds is { } seconds
            ? seconds > 0 && TimeSpan.FromSeconds(seconds) <= limits.MaxTtl
                ? TimeSpan.FromSeconds(seconds)
                : throw AppMsgException.Invalid("ttlSeconds", $"ttlSeconds must be 1 to {(long)limits.MaxTtl.TotalSeconds}")
            : limits.DefaultTtl;
        if (message.ClientMsgId is { Length: > 128 })
        {
            throw AppMsgException.Invalid("clientMsgId", "clientMsgId must be at most 128 characters");
        }

        var address = Address.TryParse(Timeline, out var parsed) ? parsed : (Address?)null;
        await EnsureTenantEnabledAsync(address);
        if (address is { Kind: AddressKind.User } inbox && !await GrainFactory.GetGrain<IUserGrain>(inbox.Id).AcceptsFromAsync(message.From))
        {
            throw new AppMsgException(ErrorCodes.Forbidden, "the recipient does not accept direct messages from this sender");
        }

        // A retry of a message still in flight, or stored by this activation, gets the same receipt at once.
        var clientKey = message.ClientMsgId is { } key ? (message.From, key) : default;
        if (message.ClientMsgId is not null && recentClientIds.TryGetValue(clientKey, out var earlier))
        {
            return await earlier;
        }

        if (mediaId is not null)
        {
            await media.ClaimAsync(mediaId, Timeline);
        }

        // Remembered with the sender copy's seq, so a retry gets the very answer the first try got.
        var receipt = AppendWithSenderCopyAsync(address, message, ttl, mediaId);
        if (message.ClientMsgId is not null)
        {
            RememberClientId(clientKey, receipt);
        }

        return await receipt;
    }

    /// <summary>
    /// A disabled tenant's timelines take no message (docs/directory-people.md, "Disabling a tenant"): the edges refuse
    /// their callers before, but backends on the Orleans client append here directly. The tenant is read once per
    /// activation (a timeline never changes tenant); whether it is disabled comes from this silo's
    /// <see cref="TenantInfoCache"/>, at most <see cref="TenantInfoCache.Freshness"/> old.
    /// </summary>
    private async ValueTask EnsureTenantEnabledAsync(Address? address)
    {
        if (tenantId is null)
        {
            var owner = address ?? (AppMsg.Backends.AppUpstream.TryGetAppId(Timeline, out var appId) ? new Address(appId, AddressKind.App) : null);
            tenantId = owner is { } known ? await TenantOfAddress.ReadAsync(GrainFactory, known) : null;
        }

        if (tenantId is not null)
        {
            await tenants.EnsureEnabledAsync(tenantId);
        }
    }

    private async Task<MessageReceipt> AppendWithSenderCopyAsync(Address? address, NewMessage message, TimeSpan ttl, string? mediaId)
    {
        var appended = await AppendInOrderAsync(address, message, ttl, mediaId);
        if (address is { Kind: AddressKind.User } && IsUser(message.From) && message.From != Timeline && appended.StoredAt is { } storedAt)
        {
            return appended.Receipt with { SenderCopySeq = await CopyToSenderAsync(message, appended.Receipt.Id, storedAt, storedAt + ttl) };
        }

        return appended.Receipt;
    }

    public async Task<MessageReceipt> AppendSenderCopyAsync(SenderCopy copy)
    {
        servedOthers = true;
        var address = Address.Parse(Timeline);
        var message = copy.Message with { Notify = false, ClientMsgId = null, OnlySessions = null, TerminalTypes = 31 };
        // The copy references the same media as the original, which is then kept while either lives.
        var mediaId = MessageContent.Validate(message.Type, message.Content, options.Value.MaxContentBytes);
        var appended = await AppendInOrderAsync(address, message, copy.ExpiresAt - copy.CreatedAt, mediaId, (copy.MessageId, copy.CreatedAt));
        return appended.Receipt;
    }

    /// <summary>
    /// A user's 1:1 message also goes to the sender's own inbox (conversations on every device, docs/messaging.md). The
    /// original is stored and acknowledged either way; a copy that fails is logged, and the sender's other terminals miss it.
    /// </summary>
    private async Task<long?> CopyToSenderAsync(NewMessage message, string id, DateTimeOffset storedAt, DateTimeOffset expiresAt)
    {
        try
        {
            return (await GrainFactory.GetGrain<ITimelineGrain>(message.From).AppendSenderCopyAsync(new SenderCopy(id, storedAt, expiresAt, message))).Seq;
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, "The sender copy of {MessageId} in {Sender} was not stored: {Reason}", id, message.From, e.Message);
            return null;
        }
    }

    /// <summary>A stored message's receipt, and when it was stored (null for a repeated client message id found in the store).</summary>
    private readonly record struct Appended(MessageReceipt Receipt, DateTimeOffset? StoredAt);

    private async Task<Appended> AppendInOrderAsync(Address? address, NewMessage message, TimeSpan ttl, string? mediaId, (string Id, DateTimeOffset At)? given = null)
    {
        await EnsureNumberingAsync();
        var seq = ++lastSeq;
        var previous = deliveries;
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        deliveries = settled.Task;
        try
        {
            return await StoreAndDeliverAsync(address, message, ttl, seq, previous, mediaId, given);
        }
        finally
        {
            settled.SetResult();
        }
    }

    private async Task<Appended> StoreAndDeliverAsync(Address? address, NewMessage message, TimeSpan ttl, long seq, Task previous, string? mediaId,
        (string Id, DateTimeOffset At)? given)
    {
        var acceptedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var id = given?.Id ?? Ids.New();
        var now = given?.At ?? DateTimeOffset.UtcNow;
        var expiresAt = now + ttl;
        var envelope = Envelope.Build(id, Timeline, seq, message.From, message.To, message.Type, message.Content, now, expiresAt);
        try
        {
            await writer.AppendAsync(new StoredMessage(Timeline, seq, id, message.From, now, expiresAt, envelope, message.TerminalTypes, message.ClientMsgId, mediaId));
        }
        catch (AppMsgException e)
        {
            // This seq was not stored: later ones in flight fail in the writer, and the next append re-reads the last seq.
            broken = true;
            await previous;
            if (e.Code == ErrorCodes.Conflict && message.ClientMsgId is { } clientMsgId
                && await FromStoreAsync(() => reader.FindClientMessageAsync(message.From, clientMsgId, Timeline)) is { } first)
            {
                return new Appended(new MessageReceipt(first.MessageId, Timeline, first.Seq), null);
            }

            if (e.Code == ErrorCodes.Conflict)
            {
                throw new AppMsgException(ErrorCodes.Unavailable, "the timeline moved on elsewhere; retry");
            }

            throw;
        }

        await previous;
        IndexConversation(address, message, seq, id, now);
        if (message.Notify && address is { Kind: AddressKind.User or AddressKind.Qun or AddressKind.Org or AddressKind.Tenant or AddressKind.App } target
            && !AppMsg.Backends.AppUpstream.TryGetAppId(Timeline, out _))
        {
            notifications.Offer(new Notifications.NotificationRequest(Timeline, target.Kind, target.Id, seq, id, message.From, message.Type, message.Content,
                message.TerminalTypes, expiresAt, message.Notification, acceptedAt));
        }

        var delivery = new Delivery(Timeline, seq, envelope, AsIm: IsUser(message.From), From: message.From, ExpiresAtMs: expiresAt.ToUnixTimeMilliseconds(),
            StoredAtMs: now.ToUnixTimeMilliseconds());
        await DeliverAsync(address, message, delivery);
        return new Appended(new MessageReceipt(id, Timeline, seq), now);
    }

    /// <summary>
    /// The conversation index follows 1:1 messages (a row per user and peer; the sender's copy also marks the conversation
    /// read up to it) and qun messages (one shared head per qun; the sender's read mark moves to its own message).
    /// </summary>
    private void IndexConversation(Address? address, NewMessage message, long seq, string id, DateTimeOffset at)
    {
        switch (address?.Kind)
        {
            case AddressKind.User:
                var own = message.From == Timeline;
                conversations.Offer(new Conversations.ConversationHead(address.Value.Id, own ? message.To : message.From, seq, id, message.From, at, own ? seq : 0));
                break;
            case AddressKind.Qun:
                conversations.Offer(new Conversations.ConversationHead("", Timeline, seq, id, message.From, at, 0));
                if (IsUser(message.From) && Address.TryParse(message.From, out var sender))
                {
                    conversations.Offer(new Conversations.ConversationHead(sender.Id, Timeline, null, null, null, null, seq));
                }

                break;
        }
    }

    public async Task<bool> RecallAsync(long seq, string messageId, string recalledBy)
    {
        // An app's upstream timeline is no address: its notice goes up to the app's backends like the message did.
        var address = Address.TryParse(Timeline, out var parsed) ? parsed : (Address?)null;
        if (await FromStoreAsync(() => recalls.EnvelopeAsync(Timeline, seq)) is not { } stored)
        {
            return false;
        }

        var original = RecalledEnvelope.Read(stored);
        var tombstone = Envelope.Build(messageId, Timeline, seq, original.From, original.To, RecalledEnvelope.TombstoneType, "{}", original.At, original.ExpiresAt);
        if (!await FromStoreAsync(() => recalls.TombstoneAsync(Timeline, seq, tombstone)))
        {
            return false;
        }

        var notice = new NewMessage(original.From, original.To, RecalledEnvelope.NoticeType, RecalledEnvelope.NoticeContent(messageId, seq, recalledBy), Notify: false);
        await AppendInOrderAsync(address, notice, options.Value.DefaultTtl, mediaId: null);
        return true;
    }

    public async Task SignalAsync(byte[] envelope, string? exceptSessionId)
    {
        if (!Address.TryParse(Timeline, out var address))
        {
            return;
        }

        var signal = new Delivery(null, 0, envelope);
        try
        {
            switch (address.Kind)
            {
                case AddressKind.User:
                    await GrainFactory.GetGrain<IUserSessionsGrain>(address.Id).PushAsync(31, signal, exceptSessionId: exceptSessionId);
                    break;
                case AddressKind.Qun:
                    await PublishAsync(address, signal, 31, exceptSessionId, null);
                    break;
            }
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            // Transient by design: a signal that does not arrive is not sent again.
        }
    }

    /// <summary>Knows the last seq: read at activation, and again after a failed append (one read for all waiting).</summary>
    private async Task EnsureNumberingAsync()
    {
        while (lastSeq < 0 || broken)
        {
            var reload = reloading ??= ReloadAsync();
            try
            {
                await reload;
            }
            finally
            {
                if (reloading == reload)
                {
                    reloading = null;
                }
            }
        }
    }

    /// <summary>Waits until every append in flight has settled, then re-reads where the timeline stands.</summary>
    private async Task ReloadAsync()
    {
        await deliveries;
        writer.ClearFailure(Timeline);
        lastSeq = await FromStoreAsync(() => reader.LastSeqAsync(Timeline));
        broken = false;
    }

    private void RememberClientId((string, string) key, Task<MessageReceipt> append)
    {
        recentClientIds[key] = append;
        recentClientIdOrder.Enqueue(key);
        if (recentClientIdOrder.Count > RecentClientIdsKept)
        {
            recentClientIds.Remove(recentClientIdOrder.Dequeue());
        }

        // A failed append is not a result to repeat: the retry must try again.
        append.ContinueWith(
            t => { if (!t.IsCompletedSuccessfully) { recentClientIds.Remove(key); } },
            CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Current).Ignore();
    }

    public async Task<TimelinePage> ReadAsync(long afterSeq, int limit)
    {
        if (limit is < 1 or > 500)
        {
            throw AppMsgException.Invalid("limit", "limit must be 1 to 500");
        }

        // Most replays find nothing new: the owner knows its last seq, so they cost no query.
        await EnsureNumberingAsync();
        if (!servedOthers && Timeline.EndsWith("@user", StringComparison.Ordinal))
        {
            DeactivateOnIdle();
        }

        if (afterSeq >= lastSeq)
        {
            return new TimelinePage([], null, [], [], [], []);
        }

        var messages = await FromStoreAsync(() => reader.ReadAsync(Timeline, Math.Max(0, afterSeq), limit));
        return new TimelinePage([.. messages.Select(m => m.Envelope)], messages.Count == limit ? messages[^1].Seq : null, [.. messages.Select(m => m.Seq)], [.. messages.Select(m => m.Sender)], [.. messages.Select(m => m.TerminalTypes)],
            [.. messages.Select(m => m.ExpiresAt?.ToUnixTimeMilliseconds() ?? 0)]);
    }

    /// <summary>A read from the store; a database that does not answer is <c>unavailable</c> to the caller.</summary>
    private static async Task<T> FromStoreAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            throw new AppMsgException(ErrorCodes.Unavailable, "the message store does not answer; retry later");
        }
    }

    public Task AddEdgeAsync(string edgeId, long generation)
    {
        servedOthers = true;
        if (!watchingEdges.TryGetValue(edgeId, out var known) || known.Generation <= generation)
        {
            watchingEdges[edgeId] = (generation, DateTime.UtcNow);
        }

        return Task.CompletedTask;
    }

    public Task RemoveEdgeAsync(string edgeId, long generation)
    {
        if (watchingEdges.TryGetValue(edgeId, out var known) && known.Generation < generation)
        {
            watchingEdges.Remove(edgeId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Messages from users travel as IM, from apps and the system as PUSH.</summary>
    public static bool IsUser(string sender) => sender.EndsWith("@user", StringComparison.Ordinal);

    private async Task DeliverAsync(Address? address, NewMessage message, Delivery delivery)
    {
        // Live delivery is best effort: the message is stored, and replay covers a terminal that misses it.
        try
        {
            // An app's upstream goes to its backends (one-way: the app's grain reads this timeline back).
            if (AppMsg.Backends.AppUpstream.TryGetAppId(Timeline, out var appId))
            {
                await GrainFactory.GetGrain<AppMsg.Backends.IAppUpstreamGrain>(appId)
                    .OnStoredAsync(new AppMsg.Backends.UpstreamMessage(delivery.Seq, message.From, delivery.Envelope));
                return;
            }

            switch (address?.Kind)
            {
                case AddressKind.User:
                    await GrainFactory.GetGrain<IUserSessionsGrain>(address.Value.Id)
                        .PushAsync(message.TerminalTypes, delivery, message.OnlySessions, message.ExceptSessionId);
                    return;
                case AddressKind.Session:
                    await GrainFactory.GetGrain<ISessionGrain>(address.Value.Id).DeliverAsync(delivery);
                    return;
                case null:
                    return;
            }

            await PublishAsync(address.Value, delivery, message.TerminalTypes, message.ExceptSessionId, message.OnlySessions);
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException or Npgsql.NpgsqlException)
        {
        }
    }

    /// <summary>Group timelines go to every live edge once; each edge knows which of its connections subscribe.</summary>
    private async Task PublishAsync(Address address, Delivery delivery, int terminalTypes, string? exceptSessionId, IReadOnlyList<string>? onlySessions)
    {
        var to = await AudiencesAsync(address);
        var (processes, targets) = await EdgesToPublishToAsync(address);
        var toAudiences = EdgeDelivery.ToAudiences(delivery, to, terminalTypes, exceptSessionId, onlySessions);
        foreach (var (edgeId, edge) in targets)
        {
            outboxes.Send(processes.ProcessOf(edgeId), edge, toAudiences);
        }
    }

    /// <summary>
    /// A qun's message goes to the live edges that registered subscribers (all live edges for a while after
    /// activation, until registrations made with an earlier activation are renewed); other group messages
    /// go to every live edge.
    /// </summary>
    private async Task<(LiveEdgeSet Set, IEnumerable<KeyValuePair<string, IEdgeObserver>> Targets)> EdgesToPublishToAsync(Address address)
    {
        var set = await liveEdges.GetAsync();
        var live = set.Observers;
        var now = DateTime.UtcNow;
        if (address.Kind != AddressKind.Qun || now - activatedAt < EdgeWatch.ActivationGrace)
        {
            return (set, live);
        }

        if (watchingEdges.Keys.Any(id => !live.ContainsKey(id)))
        {
            set = await liveEdges.GetAsync(fresh: true);
            live = set.Observers;
        }

        var targets = new List<KeyValuePair<string, IEdgeObserver>>(watchingEdges.Count);
        List<string>? expired = null;
        foreach (var (edgeId, watch) in watchingEdges)
        {
            if (now - watch.RenewedAt > EdgeWatch.Expiry)
            {
                (expired ??= []).Add(edgeId);
            }
            else if (live.TryGetValue(edgeId, out var edge))
            {
                targets.Add(new(edgeId, edge));
            }
        }

        foreach (var edgeId in expired ?? [])
        {
            watchingEdges.Remove(edgeId);
        }

        return (set, targets);
    }

    /// <summary>
    /// Whose connections a group message goes to: a qun's members; an org's members and its sub-orgs'
    /// (re-read every few seconds, so a moved org follows soon); a tenant's users; for an app's broadcast,
    /// its tenant's users and anonymous sessions.
    /// </summary>
    private async Task<string[]> AudiencesAsync(Address address)
    {
        var now = DateTime.UtcNow;
        if (audiences is not null && (address.Kind != AddressKind.Org || now - audiencesRead < AudienceLifetime))
        {
            return audiences;
        }

        audiences = address.Kind switch
        {
            AddressKind.Org => [.. (await orgs.SubtreeAsync(address.Id)).Select(id => $"{id}@org")],
            AddressKind.Tenant => [Audiences.TenantUsers(address.Id)],
            AddressKind.App => await GrainFactory.GetGrain<IAppGrain>(address.Id).GetAsync() is { } app
                ? [Audiences.TenantUsers(app.TenantId), Audiences.TenantAnonymous(app.TenantId)]
                : [],
            _ => [Timeline],
        };
        audiencesRead = now;
        return audiences;
    }
}
