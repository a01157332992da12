using System.Net.WebSockets;

namespace AppMsg.Edge.Devices;

/// <summary>Binary frames sent as WebSocket binary messages, one frame per message (what the protocol page promises).</summary>
public sealed class WebSocketBinaryChannel(WebSocket socket) : BinaryDeviceChannel
{
    public override string Transport => "ws-binary";

    protected override async ValueTask WriteAsync(ReadOnlyMemory<OutboundFrame> frames)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            for (var i = 0; i < frames.Length; i++)
            {
                var frame = frames.Span[i];
                ReadOnlyMemory<byte> message = frame.Encoded;
                if (frame.Push is { } push)
                {
                    push.FrameFor(Encoding, frame.Flag).WriteTo(buffer, frame.Tid);
                    message = buffer.WrittenMemory;
                }

                await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                buffer.Clear();
            }
        }
        finally
        {
            buffer.Release();
        }
    }
}
