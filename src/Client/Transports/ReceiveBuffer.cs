using System.Buffers;

namespace AppMsg.Client.Transports;

/// <summary>
/// A growable byte buffer from the shared pool that WebSocket messages are received into: bytes are appended at
/// the end and consumed from the start, so a frame split over messages waits for its rest without copying per message.
/// </summary>
internal sealed class ReceiveBuffer : IDisposable
{
    private byte[] _array;
    private int _start;
    private int _end;

    public ReceiveBuffer(int initialSize) => _array = ArrayPool<byte>.Shared.Rent(initialSize);

    /// <summary>The number of bytes received and not consumed.</summary>
    public int Length => _end - _start;

    /// <summary>The bytes received and not consumed; valid until the next call that changes the buffer.</summary>
    public Memory<byte> Data => _array.AsMemory(_start, Length);

    /// <summary>Room for at least <paramref name="sizeHint"/> more bytes at the end.</summary>
    public Memory<byte> GetMemory(int sizeHint)
    {
        if (_array.Length - _end < sizeHint)
        {
            MakeRoom(sizeHint);
        }

        return _array.AsMemory(_end);
    }

    /// <summary>Marks <paramref name="count"/> bytes written at the end.</summary>
    public void Advance(int count) => _end += count;

    /// <summary>Drops <paramref name="count"/> bytes from the start.</summary>
    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            Clear();
        }
    }

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        _start = 0;
        _end = 0;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Clear();
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void MakeRoom(int sizeHint)
    {
        var length = Length;
        if (_array.Length - length >= sizeHint)
        {
            // Enough room once the consumed bytes at the start are gone.
            _array.AsSpan(_start, length).CopyTo(_array);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, length + sizeHint));
            _array.AsSpan(_start, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        _start = 0;
        _end = length;
    }
}
