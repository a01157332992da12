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
        using var timeout = new ReadDeadline();
        var settings = services.Settings;
        // Buffers are rented per message and given back, so an idle connection holds none.
        var message = new PooledBufferWriter();
        var stream = new PooledBufferWriter();
        var framing = Framing.Unknown;
        DeviceConnection? connection = null;
        var closeStatus = WebSocketCloseStatus.NormalClosure;
        services.Connections.Opened("websocket");
        try
        {
            while (connection is not { IsClosing: true })
            {
                timeout.Extend(connection?.ReadTimeout ?? settings.RegisterDeadline);
                var (type, tooLarge) = await ReceiveMessageAsync(socket, message, settings.MaxTextMessageLength, timeout.Token);
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
                    var sender = new WebSocketSender(socket, context.Features.Get<WebSocketBatchStream>());
                    DeviceChannel channel = framing == Framing.Binary
                        ? new WebSocketBinaryChannel(sender)
                        : new WebSocketJsonChannel(sender, galopushFraming: framing == Framing.Galopush);
                    connection = DeviceConnection.Open(channel, services, timeout.Stop, context.Connection.RemoteIpAddress);
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
                        await DispatchBinaryAsync(connection!, message, stream);
                        break;
                    case Framing.Json:
                        await JsonFrameDispatcher.DispatchAsync(connection!, message.WrittenMemory, settings.MaxTextMessageLength);
                        break;
                    default:
                        if (!await DispatchGalopushAsync(connection!, message))
                        {
                            closeStatus = WebSocketCloseStatus.InvalidPayloadData;
                        }

                        break;
                }

                message.Release();
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
            message.Release();
            stream.Release();
            services.Connections.Closed("websocket");
            if (connection is not null)
            {
                await connection.EndAsync();
                await connection.Channel.CompleteAsync(DeviceChannel.FinalWritesWait);
            }

            await CloseQuietlyAsync(socket, closeStatus);
        }
    }

    /// <summary>Binary frames need not align with WebSocket messages: a frame's head may end one message and its rest start the next.</summary>
    private async Task DispatchBinaryAsync(DeviceConnection connection, PooledBufferWriter message, PooledBufferWriter tail)
    {
        ReadOnlyMemory<byte> data;
        if (tail.WrittenCount == 0)
        {
            data = message.WrittenMemory;
        }
        else
        {
            tail.Write(message.WrittenSpan);
            data = tail.WrittenMemory;
        }

        var sequence = new ReadOnlySequence<byte>(data);
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

        if (sequence.IsEmpty)
        {
            tail.Release();
            return;
        }

        var rest = sequence.ToArray();
        tail.Clear();
        tail.Write(rest);
    }

    private async Task<bool> DispatchGalopushAsync(DeviceConnection connection, PooledBufferWriter message)
    {
        var unwrapped = ArrayPool<byte>.Shared.Rent(Math.Max(GalopushWebFraming.GetMaxUnwrappedLength(message.WrittenCount), 1));
        try
        {
            if (!GalopushWebFraming.TryUnwrap(message.WrittenSpan, unwrapped, out var length, out var error))
            {
                connection.OnProtocolError(error);
                return false;
            }

            await JsonFrameDispatcher.DispatchAsync(connection, unwrapped.AsMemory(0, length), services.Settings.MaxTextMessageLength);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(unwrapped);
        }
    }

    private static async Task<(WebSocketMessageType Type, bool TooLarge)> ReceiveMessageAsync(
        WebSocket socket, PooledBufferWriter message, int maxLength, CancellationToken cancellationToken)
    {
        message.Clear();
        // A zero-byte receive waits for the next message without a buffer; one is rented once data is there.
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (first.MessageType == WebSocketMessageType.Close)
        {
            return (WebSocketMessageType.Close, false);
        }

        if (first.EndOfMessage)
        {
            return (first.MessageType, false);
        }

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
