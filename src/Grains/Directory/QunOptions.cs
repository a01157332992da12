namespace AppMsg.Grains.Directory;

/// <summary>Limits of quns, configurable per deployment.</summary>
public sealed class QunOptions
{
    /// <summary>The member limit of a qun created without one.</summary>
    public int DefaultMaxMembers { get; set; } = 2_000;

    /// <summary>The highest member limit a qun may be given.</summary>
    public int MaxMembersCeiling { get; set; } = 100_000;
}
