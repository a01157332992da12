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

        var body = frame.Data;
        if (type == MessageType.Im && connection.IsRegistered && !JsonBodies.TryParseImUp(frame.Data, out body, out var imError))
        {
            connection.OnProtocolError(imError);
            return;
        }

        // CBRESP {"code","msg"} becomes the binary body (code, then the answer bytes), one form for the connection.
        if (type == MessageType.CbResp && connection.IsRegistered)
        {
            if (!JsonBodies.TryParseCallbackResponse(frame.Data, out var code, out var answer, out var callbackError))
            {
                connection.OnProtocolError(callbackError);
                return;
            }

            body = (byte[])[code, .. answer.Span];
        }

        await connection.OnUpstreamAsync(type, frame.Tid, body);
    }
}
