namespace AppMsg.Backends;

/// <summary>How the observer backends of one app divide its upstream messages among themselves.</summary>
public enum BackendDeliveryMode
{
    /// <summary>
    /// The backends that subscribe in this mode share the work: each message goes to one of them, and
    /// they share one acknowledged cursor.
    /// </summary>
    Shared = 0,

    /// <summary>Every backend subscribed in this mode receives every message, with its own cursor (kept by its name).</summary>
    Broadcast = 1,
}
