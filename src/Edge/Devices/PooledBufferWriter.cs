using System.Buffers;

namespace AppMsg.Edge.Devices;

/// <summary>
/// A growable byte buffer rented from the shared array pool and given back by <see cref="Release"/>, so that
/// an idle connection holds no buffer between messages. Not thread-safe.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private const int MinimumSize = 256;
    private byte[] array = [];
    private int written;

    public int WrittenCount => written;

    public ReadOnlyMemory<byte> WrittenMemory => array.AsMemory(0, written);

    public ReadOnlySpan<byte> WrittenSpan => array.AsSpan(0, written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (written + count > array.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return array.AsMemory(written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return array.AsSpan(written);
    }

    /// <summary>Empties the buffer and keeps the array for the next use.</summary>
    public void Clear() => written = 0;

    /// <summary>Empties the buffer and returns its array to the pool.</summary>
    public void Release()
    {
        written = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
            array = [];
        }
    }

    private void Reserve(int sizeHint)
    {
        var needed = written + Math.Max(sizeHint, 1);
        if (needed <= array.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumSize, array.Length * 2)));
        WrittenSpan.CopyTo(larger);
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        array = larger;
    }
}
