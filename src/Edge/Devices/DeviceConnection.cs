using System.Text;
using AppMsg.Directory;
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

    private readonly TidCounter tids = new();
    private SessionInfo? session;
    private int closed;

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
            await channel.SendRegisterResponseAsync(tid, RegisterResultCode.Ok, RegisterJson(session));
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

        TokenPrincipal? principal;
        try
        {
            principal = request.IsAnonymous ? null : await services.Authenticator.ValidateTokenAsync(request.Token);
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException)
        {
            await RefuseAsync(tid, RegisterResultCode.Busy);
            return;
        }

        if (principal is null || principal.UserId != request.Id)
        {
            LogRefused(services.Logger, channel.Transport, request.Id);
            await RefuseAsync(tid, RegisterResultCode.AuthenticationFailed);
            return;
        }

        var tenant = await services.Cluster.GetGrain<ITenantGrain>(principal.TenantId).GetAsync();
        var settings = tenant?.Settings ?? new TenantSettings();
        var info = new SessionInfo(Ids.New(), principal.UserId, principal.TenantId, (int)request.TerminalType, services.Edge.EdgeId, DateTimeOffset.UtcNow,
            Api.CallerAuthenticator.TokenHash(request.Token));
        session = info;
        services.Connections.Add(info.SessionId, this);
        await services.Cluster.GetGrain<ISessionGrain>(info.SessionId).OpenAsync(info);
        await services.Cluster.GetGrain<IUserSessionsGrain>(principal.UserId)
            .AttachAsync(info, new SessionPolicy(settings.OneSessionPerTerminalType, settings.AndroidIosExclusive));
        LogRegistered(services.Logger, channel.Transport, info.UserId, info.TerminalType, info.SessionId);
        await channel.SendRegisterResponseAsync(tid, RegisterResultCode.Ok, RegisterJson(info));
    }

    public ValueTask OnPingAsync(uint tid) => channel.SendPongAsync(tid, IsRegistered ? PongCode.Ok : PongCode.NotRegistered);

    /// <summary>PUSHRESP, IMRESP, KICKRESP, CBRESP from the terminal.</summary>
    public Task OnAcknowledgementAsync(MessageType type, uint tid)
    {
        _ = type;
        _ = tid;
        return Task.CompletedTask;
    }

    /// <summary>IM and SYNC from the terminal.</summary>
    public async Task OnRequestAsync(MessageType type, uint tid)
    {
        if (type == MessageType.Im)
        {
            await channel.SendImResponseAsync(tid, ImResultCode.Failed);
        }
        else if (type == MessageType.Sync)
        {
            await channel.SendSyncResponseAsync(tid, SyncResultCode.Failed);
        }
    }

    /// <summary>A request the state does not allow (anything but REGISTER and PING before REGISTER, or a down-only type).</summary>
    public void OnUnexpected(MessageType type)
    {
        LogUnexpected(services.Logger, channel.Transport, type, IsRegistered);
        Close();
    }

    /// <summary>A frame the decoder refused (unknown type, body too large, malformed text).</summary>
    public void OnProtocolError(ProtocolError error)
    {
        LogProtocolError(services.Logger, channel.Transport, error.Reason);
        Close();
    }

    /// <summary>Delivers a PUSH to this connection.</summary>
    public ValueTask PushAsync(PushDelivery delivery) =>
        IsClosing ? ValueTask.CompletedTask : channel.SendPushAsync(tids.Next(), delivery, flag: 0);

    /// <summary>Sends KICK and closes the connection.</summary>
    public async Task KickAsync(KickReason reason)
    {
        if (IsClosing)
        {
            return;
        }

        LogKicked(services.Logger, session?.SessionId, reason);
        await channel.SendKickAsync(tids.Next(), reason);
        Close();
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

        services.Connections.Remove(ended.SessionId, this);
        try
        {
            await services.Cluster.GetGrain<IUserSessionsGrain>(ended.UserId!).DetachAsync(ended.SessionId);
            await services.Cluster.GetGrain<ISessionGrain>(ended.SessionId).CloseAsync();
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or OperationCanceledException)
        {
            // The user's session list drops sessions of this edge if it cannot be told now.
            LogEndFailed(services.Logger, ended.SessionId, e.Message);
        }
    }

    private async Task RefuseAsync(uint tid, RegisterResultCode code)
    {
        await channel.SendRegisterResponseAsync(tid, code, ReadOnlyMemory<byte>.Empty);
        Close();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not end session {SessionId} in the cluster: {Reason}")]
    private static partial void LogEndFailed(ILogger logger, string sessionId, string reason);
}
