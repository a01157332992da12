namespace AppMsg.Edge.Devices;

/// <summary>
/// A connection's read deadline: cancels reading when nothing arrived for the limit. Moving a timer on every
/// frame contends on the runtime's timer lock under load (a terminal acknowledging every message), so the
/// timer is moved only when the deadline would move by more than <see cref="Slack"/>: the limit is kept to
/// within a second.
/// </summary>
public sealed class ReadDeadline : IDisposable
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource source = new();
    private long dueTicks;
    private volatile bool stopped;

    public CancellationToken Token => source.Token;

    /// <summary>True when reading was cancelled by the limit, not by <see cref="Stop"/>.</summary>
    public bool Expired => source.IsCancellationRequested && !stopped;

    /// <summary>Cancels reading now (the connection is closing).</summary>
    public void Stop()
    {
        stopped = true;
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The read loop has ended already.
        }
    }

    /// <summary>Something arrived (or is awaited): reading may take <paramref name="limit"/> from now.</summary>
    public void Extend(TimeSpan limit)
    {
        var now = Environment.TickCount64;
        var due = now + (long)limit.TotalMilliseconds;
        if (due - dueTicks > Slack.TotalMilliseconds || due < dueTicks)
        {
            dueTicks = due;
            source.CancelAfter(limit);
        }
    }

    public void Dispose() => source.Dispose();
}
