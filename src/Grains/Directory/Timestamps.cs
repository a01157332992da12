namespace AppMsg.Grains.Directory;

/// <summary>Times that read back equal from grain state and from PostgreSQL.</summary>
internal static class Timestamps
{
    /// <summary>Now, UTC, cut to whole microseconds (PostgreSQL's <c>timestamptz</c> resolution).</summary>
    public static DateTimeOffset Now()
    {
        var ticks = DateTimeOffset.UtcNow.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }
}
