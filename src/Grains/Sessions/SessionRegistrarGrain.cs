using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Grains.Messaging;
using AppMsg.Grains.Timelines;
using AppMsg.Messaging;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// Opens device sessions inside the cluster, so the edge pays one round trip per REGISTER (or per batch). A batch's
/// tokens, users' memberships and mutes, stored-callback flags and read cursors come from storage in two statements
/// (<see cref="RegisterBatchReader"/>) rather than from a grain activated per device; the tenant's login policy is
/// cached per silo; then each session attaches to its user's sessions grain (the one grain a connected device keeps
/// active), and one more statement reads where every user's inbox ends, so that the replay of an idle device neither
/// reads nor activates its inbox. Reentrant: it keeps nothing between calls.
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class SessionRegistrarGrain(
    RegisterBatchReader storage, ReadingLists readingLists, TenantInfoCache tenants, TimelineReader timelines, LiveEdges liveEdges,
    TimeProvider clock, ILogger<SessionRegistrarGrain> logger)
    : Grain, ISessionRegistrarGrain
{
    public async Task<IReadOnlyList<RegisterAnswer>> RegisterAsync(IReadOnlyList<RegisterTicket> tickets)
    {
        RegisterBatchState stored;
        try
        {
            stored = await storage.ReadAsync(tickets);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogUnreadable(logger, tickets.Count, e.Message);
            return [.. tickets.Select(_ => new RegisterAnswer(RegisterOutcome.Unavailable))];
        }

        // An edge registers devices only after its first heartbeat reached the registry; this silo's copy of the live
        // edges may be up to a second older. Re-read it, so that once a device is answered this silo's group messages
        // go to its edge.
        var edges = await liveEdges.GetAsync();
        if (tickets.Any(t => !edges.Knows(t.EdgeId, t.EdgeIncarnation)))
        {
            await liveEdges.GetAsync(fresh: true);
        }

        var answers = await FanOut.SelectAsync(tickets, ticket => OpenAsync(ticket, stored));
        var inboxes = answers.Where(a => a.Session is not null).Select(a => Inbox(a.Session!)).ToHashSet(StringComparer.Ordinal);
        if (inboxes.Count == 0)
        {
            return answers;
        }

        Dictionary<string, long> heads;
        try
        {
            heads = await timelines.LastSeqsAsync(inboxes);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // Not needed to register: the replay then asks each inbox's grain.
            LogHeadsUnread(logger, e.Message);
            return answers;
        }

        return [.. answers.Select(a => a.Session is { } s && heads.TryGetValue(Inbox(s), out var head) ? a with { InboxHead = head } : a)];
    }

    private static string Inbox(SessionInfo session) => Address.User(session.UserId!).ToString();

    private async Task<RegisterAnswer> OpenAsync(RegisterTicket ticket, RegisterBatchState stored)
    {
        // An expired token is refused here; ExpiredTokenSweeper removes its row.
        if (!stored.Tokens.TryGetValue(ticket.TokenHash, out var principal) || principal.UserId != ticket.UserId
            || principal.ExpiresAt <= clock.GetUtcNow() || !stored.Users.TryGetValue(ticket.UserId, out var user))
        {
            return new RegisterAnswer(RegisterOutcome.BadCredentials);
        }

        SessionInfo? attached = null;
        try
        {
            var tenantId = principal.TenantId;
            var tenant = await tenants.GetAsync(tenantId);
            if (tenant?.Disabled == true)
            {
                return new RegisterAnswer(RegisterOutcome.TenantDisabled);
            }

            var list = await readingLists.OfUserAsync(ticket.UserId, tenantId, user.Memberships, user.Muted);

            // Attached after everything that can fail before it: a terminal answered "unavailable" is left attached
            // only if the cursor grain then fails, and is detached again.
            var session = new SessionInfo(ticket.SessionId, ticket.UserId, tenantId, ticket.TerminalType, ticket.EdgeId, ticket.Since,
                ticket.TokenHash, ticket.EdgeIncarnation, ticket.DeviceId);
            var policy = SessionPolicy.Of(tenant?.Settings ?? new TenantSettings());
            var sessions = GrainFactory.GetGrain<IUserSessionsGrain>(ticket.UserId);
            var recentlyActive = await sessions.AttachAsync(session, policy, stored.UsersWithStoredCallbacks.Contains(ticket.UserId));
            attached = session;

            // A user active in the last seconds may have acknowledged moves its cursor grain has not saved yet.
            var deviceId = ticket.DeviceId ?? string.Empty;
            var cursors = recentlyActive
                ? await GrainFactory.GetGrain<IUserCursorsGrain>(ticket.UserId).GetReaderAsync(ticket.TerminalType, deviceId)
                : ReaderPositions.Of(stored.Cursors.GetValueOrDefault(ticket.UserId) ?? [], ticket.TerminalType, deviceId);
            return new RegisterAnswer(RegisterOutcome.Registered, session, list, cursors);
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or Orleans.Runtime.OrleansException or Npgsql.NpgsqlException)
        {
            LogUnavailable(logger, ticket.SessionId, e.Message);
            if (attached is not null)
            {
                GrainFactory.GetGrain<IUserSessionsGrain>(ticket.UserId).DetachAsync(attached.SessionId).Ignore();
            }

            return new RegisterAnswer(RegisterOutcome.Unavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} REGISTERs could not be served: their tokens and users could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox heads for REGISTER replays could not be read: {Reason}")]
    private static partial void LogHeadsUnread(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "REGISTER of session {SessionId} could not be served: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string sessionId, string reason);
}
