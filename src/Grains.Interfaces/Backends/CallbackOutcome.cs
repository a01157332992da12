namespace AppMsg.Backends;

/// <summary>How a CALLBACK ended.</summary>
public enum CallbackOutcome
{
    /// <summary>A terminal answered with CBRESP: see the code and answer.</summary>
    Answered = 0,

    /// <summary>No terminal answered within the timeout.</summary>
    Timeout = 1,

    /// <summary>No target session is online (and storing was not asked for).</summary>
    Offline = 2,

    /// <summary>No target session is online; the callback is stored for the target's next REGISTER.</summary>
    Stored = 3,
}
