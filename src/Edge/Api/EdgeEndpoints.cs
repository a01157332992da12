using AppMsg.Sessions;

namespace AppMsg.Edge.Api;

/// <summary><c>/v1/edges</c>: the dispatcher.</summary>
public static class EdgeEndpoints
{
    /// <summary>The edge's endpoints; <paramref name="TcpTls"/> and <paramref name="Wss"/> are null when it serves no TLS.</summary>
    public sealed record PickedEdge(string EdgeId, string Tcp, string Ws, string? TcpTls, string? Wss);

    public static IEndpointRouteBuilder MapEdges(this IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/edges/pick", async (int? terminalType, IClusterClient cluster) =>
        {
            if (terminalType is not null)
            {
                Validate.TerminalType(terminalType);
            }

            var edge = await cluster.GetGrain<IEdgeRegistryGrain>(0).PickAsync()
                ?? throw new AppMsgException(ErrorCodes.Unavailable, "no edge is alive");
            return Results.Ok(new PickedEdge(edge.EdgeId, edge.TcpAddress, edge.WebSocketUrl, edge.TcpTlsAddress, edge.SecureWebSocketUrl));
        });
        return api;
    }
}
