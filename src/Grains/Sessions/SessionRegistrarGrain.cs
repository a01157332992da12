using AppMsg.Directory;
using AppMsg.Messaging;
using AppMsg.Sessions;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace AppMsg.Grains.Sessions;

/// <summary>
/// Opens device sessions inside the cluster, so the edge pays one round trip per REGISTER (or per batch): the token
/// check, the tenant's login policy (cached per silo), the attach to the user's sessions, and the reading list and
/// cursors its replay starts from. Reentrant: it keeps nothing between calls.
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class SessionRegistrarGrain(TenantInfoCache tenants, ILogger<SessionRegistrarGrain> logger) : Grain, ISessionRegistrarGrain
{
    public async Task<IReadOnlyList<RegisterAnswer>> RegisterAsync(IReadOnlyList<RegisterTicket> tickets) =>
        await FanOut.SelectAsync(tickets, OpenAsync);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "REGISTER of session {SessionId} could not be served: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string sessionId, string reason);
}
