using AppMsg.Edge.Cluster;
using AppMsg.Protocol;
using AppMsg.Sessions;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Keeps this edge registered with the edge registry (its observer and load) every two seconds, and
/// on shutdown unregisters and kicks its devices with reason 5 so that they reconnect elsewhere.
/// </summary>
public sealed partial class EdgeHeartbeatService(
    IClusterClient cluster, EdgeObserver observer, DeviceConnections connections, EdgeSettings edge, EdgeIncarnation incarnation,
    ILogger<EdgeHeartbeatService> logger) : BackgroundService
{
    private IEdgeObserver? reference;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        reference = cluster.CreateObjectReference<IEdgeObserver>(observer);
        var registry = cluster.GetGrain<IEdgeRegistryGrain>(0);
        using var timer = new PeriodicTimer(EdgeLiveness.HeartbeatPeriod);
        do
        {
            try
            {
                await registry.HeartbeatAsync(Info, reference).InLoopOf(stoppingToken);
                incarnation.MarkKnown();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogHeartbeatFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await cluster.GetGrain<IEdgeRegistryGrain>(0).UnregisterAsync(edge.EdgeId).WhileStoppingBy(cancellationToken);
        }
        catch (Exception e)
            when (e is TimeoutException or OperationCanceledException or Orleans.Runtime.OrleansException or AppMsgException)
        {
            LogHeartbeatFailed(logger, e.Message);
        }

        await Task.WhenAll(connections.All.Select(KickForShutdownAsync));
    }

    /// <summary>A connection that breaks while it is told to go elsewhere is gone anyway; shutdown goes on.</summary>
    private async Task KickForShutdownAsync(DeviceConnection connection)
    {
        try
        {
            await connection.KickAsync(KickReason.EdgeDraining);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException
            or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException)
        {
            LogKickFailed(logger, connection.Session?.SessionId, e.Message);
        }
    }

    private EdgeInfo Info => new(edge.EdgeId, $"{edge.PublicHost}:{edge.TcpPort}", $"ws://{edge.PublicHost}:{edge.HttpPort}/ws", connections.SessionCount, incarnation.Value,
        edge.PublicTcpTlsAddress, edge.PublicSecureWebSocketUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} could not be told of the shutdown: {Reason}")]
    private static partial void LogKickFailed(ILogger logger, string? sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge heartbeat failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);
}
