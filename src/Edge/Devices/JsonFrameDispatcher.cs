using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>Routes a WebSocket JSON message (<c>{"cmd","tid","data"}</c>) to the connection's protocol state.</summary>
public static class JsonFrameDispatcher
{
    public static async ValueTask DispatchAsync(DeviceConnection connection, ReadOnlyMemory<byte> text, int maxLength)
    {
        if (!JsonFrameCodec.TryParse(text, maxLength, out var frame, out var error))
        {
            connection.OnProtocolError(error);
            return;
        }

        var type = frame.Type;
        if (type == MessageType.Ping)
        {
            await connection.OnPingAsync(frame.Tid);
            return;
        }

        if (type == MessageType.Register)
        {
            JsonBodies.TryParseRegister(frame.Data.Span, out var request, out var registerError);
            await connection.OnRegisterAsync(frame.Tid, request, BodyEncoding.None, registerError);
            return;
        }

        if (!connection.IsRegistered || !type.IsUp())
        {
            connection.OnUnexpected(type);
            return;
        }

        switch (type)
        {
            case MessageType.PushResp or MessageType.ImResp or MessageType.KickResp or MessageType.CbResp:
                await connection.OnAcknowledgementAsync(type, frame.Tid);
                break;
            case MessageType.Im:
                if (!JsonBodies.TryParseImUp(frame.Data, out var message, out var imError))
                {
                    connection.OnProtocolError(imError);
                    break;
                }

                await connection.OnRequestAsync(type, frame.Tid, message);
                break;
            case MessageType.Sync:
                await connection.OnRequestAsync(type, frame.Tid, frame.Data);
                break;
            default:
                connection.OnUnexpected(type);
                break;
        }
    }
}
