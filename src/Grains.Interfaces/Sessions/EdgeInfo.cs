namespace AppMsg.Sessions;

/// <summary>A live edge as the dispatcher sees it.</summary>
/// <param name="EdgeId">The edge's id.</param>
/// <param name="TcpAddress">host:port of its binary protocol listener.</param>
/// <param name="WebSocketUrl">ws:// URL of its WebSocket endpoint.</param>
/// <param name="Connections">Device connections it holds now.</param>
[GenerateSerializer, Immutable]
public sealed record EdgeInfo(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string TcpAddress,
    [property: Id(2)] string WebSocketUrl,
    [property: Id(3)] int Connections);
