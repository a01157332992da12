using System.IO.Pipelines;
using System.Buffers;
using AppMsg.Protocol;
using Microsoft.AspNetCore.Connections;

namespace AppMsg.Edge.Devices;

/// <summary>The binary protocol on a raw TCP connection (a Kestrel connection handler over pipelines).</summary>
public sealed partial class TcpDeviceHandler(DeviceServices services) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var input = context.Transport.Input;
        var channel = new PipeDeviceChannel(context.Transport.Output);
        var connection = DeviceConnection.Open(channel, services, () => input.CancelPendingRead(), (context.RemoteEndPoint as System.Net.IPEndPoint)?.Address);
        services.Connections.Opened("tcp");
        using var timeout = new ReadDeadline();
        try
        {
            while (!connection.IsClosing)
            {
                timeout.Extend(connection.ReadTimeout);
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (timeout.Expired)
                {
                    LogTimedOut(services.Logger, context.ConnectionId, connection.IsRegistered ? "idle limit" : "register deadline");
                    break;
                }

                var buffer = result.Buffer;
                try
                {
                    while (!connection.IsClosing)
                    {
                        var status = FrameReader.TryReadFrame(ref buffer, services.Settings.MaxBodyLength, out var frame, out var error);
                        if (status == FrameReadStatus.NeedMoreData)
                        {
                            break;
                        }

                        if (status == FrameReadStatus.Error)
                        {
                            connection.OnProtocolError(error);
                            break;
                        }

                        await BinaryFrameDispatcher.DispatchAsync(connection, frame);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or InvalidOperationException or ConnectionAbortedException)
        {
            LogTransportError(services.Logger, context.ConnectionId, e.Message);
        }
        catch (Exception e)
        {
            LogUnexpected(services.Logger, e, context.ConnectionId);
        }
        finally
        {
            services.Connections.Closed("tcp");
            await connection.EndAsync();
            await channel.CompleteAsync(DeviceChannel.FinalWritesWait);
            await context.Transport.Output.CompleteAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tcp {ConnectionId}: closed on the {Limit}")]
    private static partial void LogTimedOut(ILogger logger, string connectionId, string limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "tcp {ConnectionId}: {Reason}")]
    private static partial void LogTransportError(ILogger logger, string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "tcp {ConnectionId}: unexpected failure; connection closed")]
    private static partial void LogUnexpected(ILogger logger, Exception e, string connectionId);
}
