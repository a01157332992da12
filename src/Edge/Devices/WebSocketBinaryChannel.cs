using System.Net.WebSockets;

namespace AppMsg.Edge.Devices;

/// <summary>Binary frames sent as WebSocket binary messages, one frame per message (what the protocol page promises), a batch in one write.</summary>
public sealed class WebSocketBinaryChannel(WebSocketSender sender) : BinaryDeviceChannel
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

                await sender.SendAsync(message, WebSocketMessageType.Binary, moreFollow: i < frames.Length - 1);
                buffer.Clear();
            }
        }
        finally
        {
            sender.EndBatch();
            buffer.Release();
        }
    }
}
