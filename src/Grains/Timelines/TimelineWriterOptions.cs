namespace AppMsg.Grains.Timelines;

/// <summary>How the group-commit writer batches appends.</summary>
public sealed class TimelineWriterOptions
{
    /// <summary>The most messages one round trip carries.</summary>
    public int MaxBatch { get; set; } = 1_000;

    /// <summary>Appends waiting for a commit at most; callers beyond it wait for room (back-pressure).</summary>
    public int MaxQueued { get; set; } = 100_000;

    /// <summary>A batch that cannot be committed within this time fails its callers with <c>unavailable</c>.</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
