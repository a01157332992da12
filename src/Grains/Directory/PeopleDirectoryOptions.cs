namespace AppMsg.Grains.Directory;

/// <summary>Limits of contacts and client versions, configurable per deployment.</summary>
public sealed class PeopleDirectoryOptions
{
    /// <summary>The most contacts one user may have.</summary>
    public int MaxContactsPerUser { get; set; } = 10_000;

    /// <summary>The most client versions one app may have published at a time (all terminal types together).</summary>
    public int MaxClientVersionsPerApp { get; set; } = 1_000;
}
