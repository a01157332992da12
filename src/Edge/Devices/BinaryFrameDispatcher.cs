using System.Buffers;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>Routes a decoded binary frame to the connection's protocol state.</summary>
public static class BinaryFrameDispatcher
{
    public static async ValueTask DispatchAsync(DeviceConnection connection, Frame frame)
    {
        var type = frame.Type;
        if (type == MessageType.Ping)
        {
            await connection.OnPingAsync(frame.Tid);
            return;
        }

        if (type == MessageType.Register)
        {
            var body = ArrayPool<byte>.Shared.Rent(Math.Max(frame.BodyLength, 1));
            try
            {
                var length = frame.DecodeBodyTo(body);
                RegisterBody.TryParse(body.AsSpan(0, length), out var request, out var error);
                await connection.OnRegisterAsync(frame.Tid, request, frame.Encoding, error);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }

            return;
        }

        var json = type is MessageType.Im or MessageType.Sync or MessageType.CbResp ? frame.DecodeBodyToArray() : ReadOnlyMemory<byte>.Empty;
        await connection.OnUpstreamAsync(type, frame.Tid, json);
    }
}
