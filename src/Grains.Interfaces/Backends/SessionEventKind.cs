namespace AppMsg.Backends;

/// <summary>What happened to a session.</summary>
public enum SessionEventKind
{
    /// <summary>A terminal registered: the session is live.</summary>
    Online = 0,

    /// <summary>The session ended: disconnect, kick, idle limit, or its edge died.</summary>
    Offline = 1,
}
