using System.Buffers;

namespace AppMsg.Edge.Devices;

/// <summary>
/// The connection's stream under a device WebSocket. A write goes straight to the connection, except while
/// <see cref="Holding"/> is set: the channel's write loop sets it while it sends the frames of a batch before the last,
/// so the WebSocket's frames are held here and leave with the batch's last frame as one write. Over TLS that is one
/// record per 4 KiB segment of Kestrel's output instead of one record, one encryption call and one flush per message.
/// </summary>
/// <remarks>
/// The WebSocket writes one frame at a time (its own send lock covers data, ping, pong and close frames alike), so
/// two writes never meet here. The held bytes are rented per batch and given back after it, so an idle connection
/// holds none; at most <see cref="HeldLimit"/> bytes are held before they are written anyway.
/// </remarks>
public sealed class WebSocketBatchStream(Stream connection) : Stream
{
    /// <summary>Bytes held at most before they are written without waiting for the batch's last frame.</summary>
    public const int HeldLimit = 64 * 1024;

    private readonly PooledBufferWriter held = new();
    private volatile bool holding;

    /// <summary>While true, writes are held until the first write made while it is false.</summary>
    public bool Holding
    {
        get => holding;
        set => holding = value;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!holding && held.WrittenCount == 0)
        {
            return connection.WriteAsync(buffer, cancellationToken);
        }

        held.Write(buffer.Span);
        return holding && held.WrittenCount < HeldLimit ? ValueTask.CompletedTask : WriteHeldAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        connection.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        connection.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => connection.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        holding || held.WrittenCount > 0 ? Task.CompletedTask : connection.FlushAsync(cancellationToken);

    public override void Flush()
    {
        if (!holding && held.WrittenCount == 0)
        {
            connection.Flush();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            held.Release();
            connection.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        held.Release();
        await connection.DisposeAsync();
        await base.DisposeAsync();
    }

    private async ValueTask WriteHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await connection.WriteAsync(held.WrittenMemory, cancellationToken);
        }
        finally
        {
            held.Release();
        }
    }
}
