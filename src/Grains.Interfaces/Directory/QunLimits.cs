namespace AppMsg.Directory;

/// <summary>Fixed limits of qun calls, the same for the HTTP API and the grain interface.</summary>
public static class QunLimits
{
    /// <summary>
    /// The most user ids one call names (a creation's members, a bulk add): a qun of up to 100,000 members is
    /// built in several calls, each a bounded amount of work and one rewrite of the qun's state.
    /// </summary>
    public const int MaxMembersPerCall = 5_000;
}
