using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Grains.Timelines;
using AppMsg.Messaging;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// Opens device sessions inside the cluster, so the edge pays one round trip per REGISTER (or per batch): the token
/// check, the tenant's login policy (cached per silo), the attach to the user's sessions, the reading list and
/// cursors its replay starts from, and (one query for the whole batch) where each user's inbox ends, so that the
/// replay of an idle device neither reads nor activates its inbox. Reentrant: it keeps nothing between calls.
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class SessionRegistrarGrain(TenantInfoCache tenants, TimelineReader timelines, ILogger<SessionRegistrarGrain> logger)
    : Grain, ISessionRegistrarGrain
{
    public async Task<IReadOnlyList<RegisterAnswer>> RegisterAsync(IReadOnlyList<RegisterTicket> tickets)
    {
        var answers = await FanOut.SelectAsync(tickets, OpenAsync);
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

    private async Task<RegisterAnswer> OpenAsync(RegisterTicket ticket)
    {
        try
        {
            var principal = await GrainFactory.GetGrain<IAuthTokenGrain>(ticket.TokenHash).ValidateForSessionAsync();
            if (principal is null || principal.UserId != ticket.UserId)
            {
                return new RegisterAnswer(RegisterOutcome.BadCredentials);
            }

            var tenantId = principal.TenantId;
            var tenant = tenants.GetAsync(tenantId).AsTask();
            var list = GrainFactory.GetGrain<IReadingListGrain>(0).GetAsync(ticket.UserId, tenantId);
            var cursors = GrainFactory.GetGrain<IUserCursorsGrain>(ticket.UserId).GetReaderAsync(ticket.TerminalType, ticket.DeviceId ?? string.Empty);
            await Task.WhenAll(tenant, list, cursors);
            if ((await tenant)?.Disabled == true)
            {
                return new RegisterAnswer(RegisterOutcome.TenantDisabled);
            }

            // Attached last: a session is never left attached to a terminal that was answered "unavailable".
            var session = new SessionInfo(ticket.SessionId, ticket.UserId, tenantId, ticket.TerminalType, ticket.EdgeId, ticket.Since,
                ticket.TokenHash, ticket.EdgeIncarnation, ticket.DeviceId);
            var policy = SessionPolicy.Of((await tenant)?.Settings ?? new TenantSettings());
            await GrainFactory.GetGrain<IUserSessionsGrain>(ticket.UserId).AttachAsync(session, policy);
            return new RegisterAnswer(RegisterOutcome.Registered, session, await list, await cursors);
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogUnavailable(logger, ticket.SessionId, e.Message);
            return new RegisterAnswer(RegisterOutcome.Unavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox heads for REGISTER replays could not be read: {Reason}")]
    private static partial void LogHeadsUnread(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "REGISTER of session {SessionId} could not be served: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string sessionId, string reason);
}
