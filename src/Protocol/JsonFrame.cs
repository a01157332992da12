namespace AppMsg.Protocol;

/// <summary>A parsed WebSocket text message <c>{"cmd": type, "tid": n, "data": {...}}</c>.</summary>
public readonly struct JsonFrame
{
    /// <summary>Creates a frame.</summary>
    public JsonFrame(MessageType type, uint tid, ReadOnlyMemory<byte> data)
    {
        Type = type;
        Tid = tid;
        Data = data;
    }

    /// <summary>The message type (<c>cmd</c>).</summary>
    public MessageType Type { get; }

    /// <summary>The transaction id (<c>tid</c>).</summary>
    public uint Tid { get; }

    /// <summary>
    /// The raw UTF-8 JSON of the <c>data</c> object, a slice of the parsed text (well-formed, not yet
    /// interpreted); <c>{}</c> when <c>data</c> was absent or null.
    /// </summary>
    public ReadOnlyMemory<byte> Data { get; }
}
