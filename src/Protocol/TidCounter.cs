namespace AppMsg.Protocol;

/// <summary>
/// Numbers the requests one side of a connection originates: starts at a random value (or a given one),
/// counts up and wraps at 2^32. Thread-safe.
/// </summary>
public sealed class TidCounter
{
    private uint last;

    /// <summary>Creates a counter starting at a random value.</summary>
    public TidCounter()
        : this((uint)Random.Shared.NextInt64(0, 1L << 32))
    {
    }

    /// <summary>Creates a counter whose first TID is <paramref name="first"/>.</summary>
    public TidCounter(uint first) => last = unchecked(first - 1);

    /// <summary>Returns the next TID.</summary>
    public uint Next() => Interlocked.Increment(ref last);
}
