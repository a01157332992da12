namespace AppMsg.Grains.Directory;

/// <summary>How often the stored login tokens are walked for expired ones, and how many rows one statement reads.</summary>
public sealed class ExpiredTokenSweepOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public int PageSize { get; set; } = 1_000;
}
