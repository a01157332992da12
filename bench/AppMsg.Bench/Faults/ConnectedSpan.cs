namespace AppMsg.Bench.Faults;

/// <summary>
/// One registration of a device, from REGRESP to the end of the connection (Stopwatch timestamps; open: <see cref="long.MaxValue"/>),
/// and the edge endpoint it was on.
/// </summary>
public readonly record struct ConnectedSpan(long From, long Until, string Endpoint)
{
    /// <summary>Whether the device was registered, on this one connection, for the whole of [<paramref name="start"/>, <paramref name="end"/>].</summary>
    public bool Covers(long start, long end) => From <= start && Until >= end;
}
