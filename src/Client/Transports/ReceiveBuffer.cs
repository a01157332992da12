using System.Buffers;

namespace AppMsg.Client.Transports;

/// <summary>
/// A growable byte buffer from the shared pool that WebSocket messages are received into: bytes are appended at
/// the end and consumed from the start, so a frame split over messages waits for its rest without copying per message.
/// </summary>
internal sealed class ReceiveBuffer : IDisposable
{
    private byte[] array;
    private int start;
    private int end;

    public ReceiveBuffer(int initialSize) => array = ArrayPool<byte>.Shared.Rent(initialSize);

    /// <summary>The number of bytes received and not consumed.</summary>
    public int Length => end - start;

    /// <summary>The bytes received and not consumed; valid until the next call that changes the buffer.</summary>
    public Memory<byte> Data => array.AsMemory(start, Length);

    /// <summary>Room for at least <paramref name="sizeHint"/> more bytes at the end.</summary>
    public Memory<byte> GetMemory(int sizeHint)
    {
        if (array.Length - end < sizeHint)
        {
            MakeRoom(sizeHint);
        }

        return array.AsMemory(end);
    }

    /// <summary>Marks <paramref name="count"/> bytes written at the end.</summary>
    public void Advance(int count) => end += count;

    /// <summary>Drops <paramref name="count"/> bytes from the start.</summary>
    public void Consume(int count)
    {
        start += count;
        if (start == end)
        {
            Clear();
        }
    }

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        start = 0;
        end = 0;
    }

    public void Dispose()
    {
        var array = this.array;
        this.array = [];
        Clear();
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void MakeRoom(int sizeHint)
    {
        var length = Length;
        if (array.Length - length >= sizeHint)
        {
            // Enough room once the consumed bytes at the start are gone.
            array.AsSpan(start, length).CopyTo(array);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, length + sizeHint));
            array.AsSpan(start, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(array);
            array = larger;
        }

        start = 0;
        end = length;
    }
}
