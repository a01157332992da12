using System.Buffers;
using System.Net.WebSockets;

namespace AppMsg.Edge.Devices;

/// <summary>Binary frames sent as WebSocket binary messages, one frame per message.</summary>
public sealed class WebSocketBinaryChannel(WebSocket socket) : BinaryDeviceChannel
{
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly PooledBufferWriter buffer = new();

    public override string Transport => "ws-binary";

    protected override async ValueTask WriteAsync<TState>(TState state, Action<IBufferWriter<byte>, TState> write)
    {
        await writeLock.WaitAsync();
        try
        {
            write(buffer, state);
            await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            buffer.Release();
            writeLock.Release();
        }
    }
}
