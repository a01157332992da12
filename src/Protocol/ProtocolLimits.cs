namespace AppMsg.Protocol;

/// <summary>Default limits of the device protocol; the edge's settings may override them.</summary>
public static class ProtocolLimits
{
    /// <summary>The default maximum body length of a binary frame: 64 KiB.</summary>
    public const int DefaultMaxBodyLength = 64 * 1024;

    /// <summary>
    /// The default maximum size of a WebSocket text message as received: 128 KiB, room for a 64 KiB body
    /// after JSON escaping or galopush's base64 (which adds a third).
    /// </summary>
    public const int DefaultMaxTextMessageLength = 128 * 1024;

    /// <summary>The size of the id and of the token fields in a binary REGISTER.</summary>
    public const int RegisterFieldLength = 32;

    /// <summary>The size of a binary REGISTER body: version, terminal type, id and token.</summary>
    public const int RegisterBodyLength = 2 + (2 * RegisterFieldLength);

    /// <summary>The size of a binary REGISTER body that also names the terminal's device: a third 32-byte field.</summary>
    public const int RegisterWithDeviceBodyLength = RegisterBodyLength + RegisterFieldLength;

    /// <summary>The maximum nesting depth accepted in JSON input.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>The maximum number of timelines in one SYNC request.</summary>
    public const int MaxSyncCursors = 1024;
}
