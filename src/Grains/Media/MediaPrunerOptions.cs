namespace AppMsg.Grains.Media;

/// <summary>How the media sweep runs (docs/media.md).</summary>
public sealed class MediaPrunerOptions
{
    /// <summary>How often it runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long media no living message references is kept after its upload or last reference (<c>APPMSG_MEDIA_GRACE_SECONDS</c>).</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an upload may take before its unfinished chunks are removed.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Media objects (or blobs) one statement deletes.</summary>
    public int BatchSize { get; set; } = 100;
}
