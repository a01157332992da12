using System.Text;
using AppMsg.Directory;
using AppMsg.Edge.Cluster;
using AppMsg.Messaging;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Devices;

/// <summary>A device connection's REGISTER, whatever its transport: the answer, the session, and the replay that follows.</summary>
public static partial class DeviceRegistration
{
    /// <summary>
    /// REGISTER: answered at once for a connection registered already; otherwise checked (version, terminal type, the edge's
    /// connection limit, the address's throttle, the token's shape), attached in the cluster (batched by
    /// <see cref="RegisterBatcher"/>), admitted by the tenant's connection quota, answered, then replayed.
    /// </summary>
    public static async Task RegisterAsync(DeviceConnection connection, uint tid, RegisterRequest? request, BodyEncoding encoding, ProtocolError error)
    {
        var services = connection.Services;
        var channel = connection.Channel;
        channel.Encoding = encoding;
        if (connection.Session is { } registered)
        {
            channel.SendRegisterResponse(tid, RegisterResultCode.Ok, RegisterJson(services, registered));
            return;
        }

        if (request is null)
        {
            LogBadRegister(services.Logger, channel.Transport, error.Reason);
            await RefuseAsync(connection, tid, RegisterResultCode.AuthenticationFailed);
            return;
        }

        if (request.Version != DeviceConnection.ProtocolVersion)
        {
            await RefuseAsync(connection, tid, RegisterResultCode.UnsupportedVersion);
            return;
        }

        if (!TerminalTypes.IsSingle(request.TerminalType))
        {
            await RefuseAsync(connection, tid, RegisterResultCode.BadTerminalType);
            return;
        }

        if (services.Connections.SessionCount >= services.Settings.MaxConnections)
        {
            await RefuseAsync(connection, tid, RegisterResultCode.OverQuota);
            return;
        }

        // A restarted edge attaches nothing before the registry has its new run: a session list would take the session for
        // one of the killed run and drop it.
        if (!services.Incarnation.Known.IsCompleted
            && !await services.Incarnation.Known.WaitAsync(services.Settings.RegisterDeadline).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
        {
            await RefuseAsync(connection, tid, RegisterResultCode.Busy);
            return;
        }

        if (request.IsAnonymous)
        {
            await RegisterAnonymousAsync(connection, tid, request.TerminalType);
            return;
        }

        // An address that sent too many bad tokens is refused before any grain is asked (RegisterThrottle).
        if (services.RegisterThrottle.IsLockedOut(connection.RemoteAddress))
        {
            await RefuseAsync(connection, tid, RegisterResultCode.Busy);
            return;
        }

        if (request.Token.Length is 0 or > 128)
        {
            await RefuseBadCredentialsAsync(connection, tid, request.Id);
            return;
        }

        // Listed here first and held back: a delivery for the session that arrives while the cluster attaches it
        // waits for the replay that follows REGRESP.
        var sessionId = Ids.New();
        connection.HoldLiveDeliveries();

        services.Connections.Add(sessionId, request.Id, connection);
        var ticket = new RegisterTicket(sessionId, request.Id, Api.CallerAuthenticator.TokenHash(request.Token), (int)request.TerminalType,
            request.DeviceId.Length == 0 ? null : request.DeviceId, services.Edge.EdgeId, services.Incarnation.Value, DateTimeOffset.UtcNow);
        var answer = await services.Registrations.RegisterAsync(ticket);
        if (answer is not { Outcome: RegisterOutcome.Registered, Session: { } info })
        {
            services.Connections.Remove(sessionId, request.Id, connection);
            if (answer.Outcome == RegisterOutcome.BadCredentials)
            {
                await RefuseBadCredentialsAsync(connection, tid, request.Id);
            }
            else if (answer.Outcome == RegisterOutcome.TenantDisabled)
            {
                // A valid token of a disabled tenant: refused like a bad one, but not counted against the address.
                LogRefused(services.Logger, connection.Channel.Transport, request.Id);
                await RefuseAsync(connection, tid, RegisterResultCode.AuthenticationFailed);
            }
            else
            {
                LogNotRegistered(services.Logger, sessionId, "the cluster did not answer the REGISTER");
                await RefuseAsync(connection, tid, RegisterResultCode.Busy);
            }

            return;
        }

        var admitted = false;
        try
        {
            admitted = !connection.IsClosing && await services.Quotas.TakeConnectionAsync(info.TenantId);
        }
        catch (Exception e) when (ClusterRetry.IsUnavailable(e) || e is Orleans.Runtime.OrleansException)
        {
            LogNotRegistered(services.Logger, sessionId, e.Message);
        }

        if (!admitted)
        {
            services.Connections.Remove(sessionId, request.Id, connection);
            _ = DetachAsync(services, info);
            if (!connection.IsClosing)
            {
                await RefuseAsync(connection, tid, RegisterResultCode.OverQuota);
            }

            return;
        }

        connection.Registered(info);
        LogRegistered(services.Logger, channel.Transport, info.UserId, info.TerminalType, info.SessionId);
        Metrics.EdgeMetrics.Registered();
        channel.SendRegisterResponse(tid, RegisterResultCode.Ok, RegisterJson(services, info));
        connection.StartReplay(answer.ReadingList, joined: false, answer.Cursors, answer.InboxHead);
    }

    private static async Task RefuseBadCredentialsAsync(DeviceConnection connection, uint tid, string userId)
    {
        var services = connection.Services;
        services.RegisterThrottle.Failed(connection.RemoteAddress);
        LogRefused(services.Logger, connection.Channel.Transport, userId);
        await RefuseAsync(connection, tid, RegisterResultCode.AuthenticationFailed);
    }

    private static async Task DetachAsync(DeviceServices services, SessionInfo info)
    {
        try
        {
            await ClusterRetry.RunAsync(() => services.Cluster.GetGrain<IUserSessionsGrain>(info.UserId!).DetachAsync(info.SessionId));
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            // The user's session list drops sessions this edge no longer lists when it next asks.
            LogNotDetached(services.Logger, info.SessionId, e.Message);
        }
    }

    /// <summary>
    /// An anonymous session: it belongs to the edge's configured tenant, if that tenant allows them; it gets no replay,
    /// so it joins its audiences before REGRESP and every broadcast sent after it reaches it.
    /// </summary>
    private static async Task RegisterAnonymousAsync(DeviceConnection connection, uint tid, TerminalType terminalType)
    {
        var services = connection.Services;
        var channel = connection.Channel;
        string? tenantId;
        try
        {
            tenantId = services.Edge.AnonymousTenantId;
            var tenant = tenantId is null ? null : await ClusterRetry.RunAsync(() => services.TenantInfos.GetAsync(tenantId).AsTask());
            tenantId = tenant is { Settings.AllowAnonymousSessions: true, Disabled: false } ? tenantId : null;
        }
        catch (Exception e) when (ClusterRetry.IsUnavailable(e))
        {
            await RefuseAsync(connection, tid, RegisterResultCode.Busy);
            return;
        }

        if (tenantId is null)
        {
            LogRefused(services.Logger, connection.Channel.Transport, string.Empty);
            await RefuseAsync(connection, tid, RegisterResultCode.AuthenticationFailed);
            return;
        }

        try
        {
            if (!await services.Quotas.TakeConnectionAsync(tenantId))
            {
                await RefuseAsync(connection, tid, RegisterResultCode.OverQuota);
                return;
            }
        }
        catch (Exception e) when (ClusterRetry.IsUnavailable(e) || e is Orleans.Runtime.OrleansException)
        {
            await RefuseAsync(connection, tid, RegisterResultCode.Busy);
            return;
        }

        var info = new SessionInfo(Ids.New(), null, tenantId, (int)terminalType, services.Edge.EdgeId, DateTimeOffset.UtcNow,
            EdgeIncarnation: services.Incarnation.Value);
        connection.Registered(info);
        connection.HoldLiveDeliveries();

        services.Connections.Add(info.SessionId, null, connection);
        ReadingList? joined = null;
        try
        {
            joined = await services.Cluster.GetGrain<IReadingListGrain>(0).GetAsync(null, tenantId);
            await connection.JoinAudiencesAsync(joined);
        }
        catch (Exception e) when (e is AppMsgException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogNotRegistered(services.Logger, info.SessionId, e.Message);
            joined = null;
        }

        LogRegistered(services.Logger, channel.Transport, info.UserId, info.TerminalType, info.SessionId);
        Metrics.EdgeMetrics.Registered();
        channel.SendRegisterResponse(tid, RegisterResultCode.Ok, RegisterJson(services, info));
        connection.StartReplay(joined, joined: joined is not null);
    }

    private static Task RefuseAsync(DeviceConnection connection, uint tid, RegisterResultCode code)
    {
        Metrics.EdgeMetrics.RegisterRefused(code.ToString());
        connection.Channel.SendRegisterResponse(tid, code, ReadOnlyMemory<byte>.Empty);
        connection.Close();
        return Task.CompletedTask;
    }

    private static ReadOnlyMemory<byte> RegisterJson(DeviceServices services, SessionInfo info) => Encoding.UTF8.GetBytes(
        $"{{\"sessionId\":\"{info.SessionId}\",\"heartbeat\":{(int)services.Settings.Heartbeat.TotalSeconds},\"serverTime\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Transport}: registered user {UserId} terminal {TerminalType} as session {SessionId}")]
    private static partial void LogRegistered(ILogger logger, string transport, string? userId, int terminalType, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Transport}: REGISTER refused for id '{Id}' (authentication failed)")]
    private static partial void LogRefused(ILogger logger, string transport, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Transport}: malformed REGISTER, closing: {Reason}")]
    private static partial void LogBadRegister(ILogger logger, string transport, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: not registered: {Reason}")]
    private static partial void LogNotRegistered(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not detach session {SessionId} in the cluster: {Reason}")]
    private static partial void LogNotDetached(ILogger logger, string sessionId, string reason);
}
