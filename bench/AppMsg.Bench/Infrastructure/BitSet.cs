namespace AppMsg.Bench.Infrastructure;

/// <summary>A growable set of non-negative numbers below 2^22 * 64, set from many threads without locks.</summary>
public sealed class BitSet
{
    private const int ChunkBits = 16; // 65,536 numbers per chunk
    private const int Chunks = 64;
    private readonly long[]?[] chunks = new long[Chunks][];

    public static long Capacity => (long)Chunks << ChunkBits;

    /// <summary>Adds <paramref name="n"/>; true when it was not there before. Numbers past the capacity are not tracked (true).</summary>
    public bool TryAdd(long n)
    {
        var index = n >> ChunkBits;
        if (n < 0 || index >= Chunks)
        {
            return true;
        }

        var chunk = Volatile.Read(ref chunks[index]) ?? Allocate((int)index);
        var mask = 1L << (int)(n & 63);
        return (Interlocked.Or(ref chunk[(n >> 6) & ((1 << (ChunkBits - 6)) - 1)], mask) & mask) == 0;
    }

    public bool Contains(long n)
    {
        var index = n >> ChunkBits;
        if (n < 0 || index >= Chunks || Volatile.Read(ref chunks[index]) is not { } chunk)
        {
            return false;
        }

        var mask = 1L << (int)(n & 63);
        return (Interlocked.Read(ref chunk[(n >> 6) & ((1 << (ChunkBits - 6)) - 1)]) & mask) != 0;
    }

    private long[] Allocate(int index)
    {
        Interlocked.CompareExchange(ref chunks[index], new long[1 << (ChunkBits - 6)], null);
        return chunks[index]!;
    }
}
