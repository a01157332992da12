using System.Buffers;
using System.Net.WebSockets;
using AppMsg.Edge.Api;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Devices at <c>/ws</c>: binary messages carry binary frames; text messages carry the JSON form, or
/// galopush's web framing when they do not start with <c>{</c>. The first message fixes the framing.
/// </summary>
public sealed partial class WebSocketDeviceEndpoint(DeviceServices services)
{
    private enum Framing
    {
        Unknown,
        Binary,
        Json,
        Galopush,
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.WriteAsync(context, Problems.Create(ErrorCodes.ValidationFailed, "/ws takes WebSocket connections only"));
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var stop = new CancellationTokenSource();
        using var timeout = new ReadDeadline();
        using var receiveCancel = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, timeout.Token, context.RequestAborted);
        var settings = services.Settings;
        var message = new ArrayBufferWriter<byte>(1024);
        var stream = new ArrayBufferWriter<byte>(1024);
        var unwrapped = Array.Empty<byte>();
        var framing = Framing.Unknown;
        DeviceConnection? connection = null;
        var closeStatus = WebSocketCloseStatus.NormalClosure;
        services.Connections.Opened();
        try
        {
            while (connection is not { IsClosing: true })
            {
                timeout.Extend(connection?.ReadTimeout ?? settings.RegisterDeadline);
                var (type, tooLarge) = await ReceiveMessageAsync(socket, message, settings.MaxTextMessageLength, receiveCancel.Token);
                if (type == WebSocketMessageType.Close)
                {
                    break;
                }

                if (tooLarge)
                {
                    LogRefused(services.Logger, "a message over the size limit");
                    closeStatus = WebSocketCloseStatus.MessageTooBig;
                    break;
                }

                if (framing == Framing.Unknown)
                {
                    framing = type == WebSocketMessageType.Binary ? Framing.Binary
                        : message.WrittenCount > 0 && message.WrittenSpan[0] == (byte)'{' ? Framing.Json : Framing.Galopush;
                    DeviceChannel channel = framing == Framing.Binary
                        ? new WebSocketBinaryChannel(socket)
                        : new WebSocketJsonChannel(socket, galopushFraming: framing == Framing.Galopush);
                    connection = new DeviceConnection(channel, services, () => stop.Cancel());
                }

                if ((type == WebSocketMessageType.Binary) != (framing == Framing.Binary))
                {
                    LogRefused(services.Logger, "a message of the other kind (text and binary mixed)");
                    closeStatus = WebSocketCloseStatus.InvalidPayloadData;
                    break;
                }

                switch (framing)
                {
                    case Framing.Binary:
                        stream.Write(message.WrittenSpan);
                        await DispatchBinaryAsync(connection!, stream);
                        break;
                    case Framing.Json:
                        await JsonFrameDispatcher.DispatchAsync(connection!, message.WrittenMemory, settings.MaxTextMessageLength);
                        break;
                    default:
                        if (unwrapped.Length < GalopushWebFraming.GetMaxUnwrappedLength(message.WrittenCount))
                        {
                            unwrapped = new byte[GalopushWebFraming.GetMaxUnwrappedLength(message.WrittenCount)];
                        }

                        if (!GalopushWebFraming.TryUnwrap(message.WrittenSpan, unwrapped, out var length, out var error))
                        {
                            connection!.OnProtocolError(error);
                            closeStatus = WebSocketCloseStatus.InvalidPayloadData;
                            break;
                        }

                        await JsonFrameDispatcher.DispatchAsync(connection!, unwrapped.AsMemory(0, length), settings.MaxTextMessageLength);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.Expired)
        {
            LogTimedOut(services.Logger, connection is { IsRegistered: true } ? "idle limit" : "register deadline");
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            LogTransportError(services.Logger, e.Message);
        }
        finally
        {
            services.Connections.Closed();
            if (connection is not null)
            {
                await connection.EndAsync();
            }

            await CloseQuietlyAsync(socket, closeStatus);
        }
    }

    private async Task DispatchBinaryAsync(DeviceConnection connection, ArrayBufferWriter<byte> stream)
    {
        var sequence = new ReadOnlySequence<byte>(stream.WrittenMemory);
        while (!connection.IsClosing)
        {
            var status = FrameReader.TryReadFrame(ref sequence, services.Settings.MaxBodyLength, out var frame, out var error);
            if (status == FrameReadStatus.NeedMoreData)
            {
                break;
            }

            if (status == FrameReadStatus.Error)
            {
                connection.OnProtocolError(error);
                return;
            }

            await BinaryFrameDispatcher.DispatchAsync(connection, frame);
        }

        // Keep the unread tail (a frame split across messages) at the start of the buffer.
        var rest = sequence.ToArray();
        stream.ResetWrittenCount();
        stream.Write(rest);
    }

    private static async Task<(WebSocketMessageType Type, bool TooLarge)> ReceiveMessageAsync(
        WebSocket socket, ArrayBufferWriter<byte> message, int maxLength, CancellationToken cancellationToken)
    {
        message.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(message.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, false);
            }

            message.Advance(result.Count);
            if (message.WrittenCount > maxLength)
            {
                return (result.MessageType, true);
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, false);
            }
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, null, deadline.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ws: closing a connection that sent {What}")]
    private static partial void LogRefused(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "ws: closed on the {Limit}")]
    private static partial void LogTimedOut(ILogger logger, string limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ws: {Reason}")]
    private static partial void LogTransportError(ILogger logger, string reason);
}
