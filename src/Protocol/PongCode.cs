namespace AppMsg.Protocol;

/// <summary>The code in a PONG.</summary>
public enum PongCode : byte
{
    /// <summary>The connection has a registered session.</summary>
    Ok = 0,
    /// <summary>The connection has not registered (yet).</summary>
    NotRegistered = 1,
}
