namespace AppMsg.Client.Internal;

/// <summary>
/// Exponential backoff with full jitter: attempt n (from 0) waits a uniformly random time in
/// [0, min(max, initial * 2^n)). Spreads reconnecting devices over time instead of in waves.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan initial;
    private readonly TimeSpan max;
    private readonly Random random;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentNullException.ThrowIfNull(random);
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /// <summary>How many delays were handed out since the last <see cref="Reset"/>.</summary>
    public int Attempt { get; private set; }

    /// <summary>The largest delay of attempt <paramref name="attempt"/>: min(max, initial * 2^attempt).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ticks = (double)initial.Ticks * Math.Pow(2, Math.Min(attempt, 62));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before the next attempt.</summary>
    public TimeSpan NextDelay()
    {
        var ceiling = Ceiling(Attempt);
        Attempt++;
        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling.Ticks));
    }

    /// <summary>Starts over from the initial delay (after a success).</summary>
    public void Reset() => Attempt = 0;
}
