using System.Net.WebSockets;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Sends a write loop's batch as WebSocket messages, one frame per message (what the protocol page promises), holding
/// all but the last in the <see cref="WebSocketBatchStream"/> under the socket so the batch leaves as one write.
/// </summary>
public sealed class WebSocketSender(WebSocket socket, WebSocketBatchStream? stream)
{
    /// <summary>Sends one message; <paramref name="moreFollow"/> holds it until the batch's last message is sent.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, bool moreFollow)
    {
        if (stream is not null)
        {
            stream.Holding = moreFollow;
        }

        return socket.SendAsync(message, type, endOfMessage: true, CancellationToken.None);
    }

    /// <summary>Ends a batch cut short by a failure, so that a later write (the close frame) is not held.</summary>
    public void EndBatch()
    {
        if (stream is not null)
        {
            stream.Holding = false;
        }
    }
}
