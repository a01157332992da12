namespace AppMsg.Protocol;

/// <summary>The code in a SYNCRESP (PROTOCOL.md leaves these to the project; see docs/protocol.md).</summary>
public enum SyncResultCode : byte
{
    /// <summary>Answered; the JSON says whether the replay is <c>complete</c>.</summary>
    Ok = 0,
    /// <summary>Failed; retry later.</summary>
    Failed = 1,
    /// <summary>The SYNC body is malformed.</summary>
    BadRequest = 2,
}
