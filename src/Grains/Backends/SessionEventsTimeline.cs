namespace AppMsg.Grains.Backends;

/// <summary>
/// Names the timeline a tenant's session events are stored in, <c>session-events:&lt;tenantId&gt;@tenant</c>: a row per event
/// in the message table, beside the other timelines (same group commit, same pruning). The <c>:</c> keeps it apart from
/// every address, so no API reaches it as a timeline of messages.
/// </summary>
public static class SessionEventsTimeline
{
    /// <summary>The prefix that marks a session-events timeline key.</summary>
    public const string Prefix = "session-events:";

    /// <summary>The session-events timeline of a tenant.</summary>
    public static string Of(string tenantId) => $"{Prefix}{tenantId}@tenant";
}
