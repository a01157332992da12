using System.Buffers;
using System.Net.Sockets;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Binary frames written straight to a TCP socket: a write loop's batch is copied into one pooled buffer (grown up to
/// <see cref="WriteChunk"/> bytes a send) and sent, then the buffer goes back to the pool, so an idle connection holds none.
/// </summary>
public sealed class SocketDeviceChannel(Socket socket) : BinaryDeviceChannel
{
    /// <summary>The most bytes one send carries; a larger batch goes out in several sends of this size.</summary>
    public const int WriteChunk = 64 * 1024;

    private const int FirstChunk = 4 * 1024;

    private int closing;

    public override string Transport => "tcp";

    /// <summary>
    /// Ends the connection: the frames queued before (a KICK, a refused REGRESP) go out first, for at most
    /// <see cref="DeviceChannel.FinalWritesWait"/>, then the socket is closed, which also ends its pending receive.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref closing, 1) == 0)
        {
            _ = CloseAfterFinalWritesAsync();
        }
    }

    /// <summary>Closes the socket once the last frames are out (or the wait is over).</summary>
    public async Task CloseAfterFinalWritesAsync()
    {
        await CompleteAsync(FinalWritesWait);
        socket.Dispose();
    }

    protected override async ValueTask WriteAsync(ReadOnlyMemory<OutboundFrame> frames)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FirstChunk);
        var filled = 0;
        try
        {
            for (var i = 0; i < frames.Length; i++)
            {
                var frame = frames.Span[i];
                var encoded = frame.Push?.FrameFor(Encoding, frame.Flag);
                var length = encoded?.Length ?? frame.Encoded!.Length;
                if (filled + length > buffer.Length)
                {
                    if (filled > 0 && filled + length > WriteChunk)
                    {
                        await SendAllAsync(buffer.AsMemory(0, filled));
                        filled = 0;
                    }

                    if (filled + length > buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(filled + length, Math.Min(WriteChunk, buffer.Length * 4)));
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }

                if (encoded is not null)
                {
                    filled += encoded.CopyTo(buffer.AsSpan(filled), frame.Tid);
                }
                else
                {
                    frame.Encoded!.CopyTo(buffer, filled);
                    filled += length;
                }
            }

            await SendAllAsync(buffer.AsMemory(0, filled));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None);
            bytes = bytes[sent..];
        }
    }
}
