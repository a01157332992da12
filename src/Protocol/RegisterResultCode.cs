namespace AppMsg.Protocol;

/// <summary>The code in a REGRESP.</summary>
public enum RegisterResultCode : byte
{
    /// <summary>Registered; the JSON may carry <c>sessionId</c>, <c>heartbeat</c> and <c>serverTime</c>.</summary>
    Ok = 0,
    /// <summary>The id or token was rejected.</summary>
    AuthenticationFailed = 3,
    /// <summary>The protocol version in the REGISTER is not supported.</summary>
    UnsupportedVersion = 4,
    /// <summary>The terminal type is not exactly one known type.</summary>
    BadTerminalType = 5,
    /// <summary>A quota or connection limit would be exceeded.</summary>
    OverQuota = 6,
    /// <summary>The server is busy or draining; reconnect later or elsewhere.</summary>
    Busy = 7,
}
