namespace AppMsg.Sessions;

/// <summary>A live edge as the dispatcher sees it.</summary>
/// <param name="EdgeId">The edge's id.</param>
/// <param name="TcpAddress">host:port of its binary protocol listener.</param>
/// <param name="WebSocketUrl">ws:// URL of its WebSocket endpoint.</param>
/// <param name="Connections">Device connections it holds now.</param>
/// <param name="Incarnation">Which run of the edge process this is (new at every start): sessions of an earlier run of
/// the same edge id are gone.</param>
/// <param name="TcpTlsAddress"><c>tls://host:port</c> of its binary protocol over TLS, or null when it serves no TLS.</param>
/// <param name="SecureWebSocketUrl">wss:// URL of its WebSocket endpoint, or null when it serves no TLS.</param>
[GenerateSerializer, Immutable]
public sealed record EdgeInfo(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string TcpAddress,
    [property: Id(2)] string WebSocketUrl,
    [property: Id(3)] int Connections,
    [property: Id(4)] string Incarnation = "",
    [property: Id(5)] string? TcpTlsAddress = null,
    [property: Id(6)] string? SecureWebSocketUrl = null);
