namespace AppMsg.Client;

/// <summary>How a <see cref="DeviceClient"/> reaches the edge.</summary>
public enum DeviceTransportKind
{
    /// <summary>Binary frames over a TCP connection to the edge's device port (<c>host:port</c>).</summary>
    Tcp = 0,

    /// <summary>Binary frames in WebSocket binary messages (<c>ws://host:port/ws</c>).</summary>
    WebSocketBinary = 1,

    /// <summary>The JSON text form <c>{"cmd","tid","data"}</c> in WebSocket text messages.</summary>
    WebSocketJson = 2,

    /// <summary>galopush's web framing: base64 of the ring-XOR'd JSON text form, in WebSocket text messages.</summary>
    WebSocketGalopush = 3,
}
