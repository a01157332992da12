using System.IO.Pipelines;
using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace AppMsg.Edge.Devices;

/// <summary>The binary protocol on a Kestrel connection over pipelines: the TLS port's (plain TCP has <see cref="SocketDeviceListener"/>).</summary>
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
                var consumed = buffer.Start;
                try
                {
                    consumed = await BinaryFrameReading.DispatchFramesAsync(connection, buffer, services.Settings.MaxBodyLength);
                }
                finally
                {
                    input.AdvanceTo(consumed, buffer.End);
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
