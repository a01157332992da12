namespace AppMsg.Protocol;

/// <summary>The code in an IMRESP.</summary>
public enum ImResultCode : byte
{
    /// <summary>Stored durably; the JSON carries <c>id</c>, <c>timeline</c> and <c>seq</c>.</summary>
    Ok = 0,
    /// <summary>Failed; retry with the same clientMsgId.</summary>
    Failed = 1,
    /// <summary>The request is malformed.</summary>
    BadRequest = 2,
    /// <summary>The sender may not send there (for example, not a member of the qun).</summary>
    NotAllowed = 3,
    /// <summary>A quota would be exceeded.</summary>
    OverQuota = 4,
    /// <summary>The message is too large.</summary>
    TooLarge = 5,
}
