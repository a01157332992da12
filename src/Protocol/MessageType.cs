namespace AppMsg.Protocol;

/// <summary>The message types of the device protocol (the low six bits of a binary frame's first byte, or <c>cmd</c> in the JSON form).</summary>
public enum MessageType : byte
{
    /// <summary>Up: the terminal identifies itself (version, terminal type, id, token).</summary>
    Register = 1,
    /// <summary>Down: the answer to <see cref="Register"/>.</summary>
    RegResp = 2,
    /// <summary>Up: heartbeat; a 5-byte frame without a length field.</summary>
    Ping = 3,
    /// <summary>Down: the answer to <see cref="Ping"/>.</summary>
    Pong = 4,
    /// <summary>Down: a pushed message envelope.</summary>
    Push = 5,
    /// <summary>Up: the acknowledgement of <see cref="Push"/>.</summary>
    PushResp = 6,
    /// <summary>Down: a request the terminal answers with <see cref="CbResp"/>.</summary>
    Callback = 7,
    /// <summary>Up: the answer to <see cref="Callback"/>.</summary>
    CbResp = 8,
    /// <summary>Both: an instant message (down: flag and envelope; up: the message to send).</summary>
    Im = 9,
    /// <summary>Both: the answer to <see cref="Im"/>.</summary>
    ImResp = 10,
    /// <summary>Down: the server ends the session.</summary>
    Kick = 11,
    /// <summary>Up: the acknowledgement of <see cref="Kick"/>.</summary>
    KickResp = 12,
    /// <summary>Up: the terminal asks for what it missed.</summary>
    Sync = 13,
    /// <summary>Down: the answer to <see cref="Sync"/>.</summary>
    SyncResp = 14,
}
