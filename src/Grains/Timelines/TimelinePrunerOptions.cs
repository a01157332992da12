namespace AppMsg.Grains.Timelines;

/// <summary>How often expired messages are pruned, and how many rows one statement deletes.</summary>
public sealed class TimelinePrunerOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = 5_000;
}
