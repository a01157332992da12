namespace AppMsg.Statistics;

/// <summary>How statistics rows are grouped: by UTC hour or UTC day.</summary>
public enum StatsGranularity
{
    /// <summary>One row per UTC hour.</summary>
    Hour = 0,

    /// <summary>One row per UTC day.</summary>
    Day = 1,
}
