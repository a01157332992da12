namespace AppMsg.Grains.Sessions;

/// <summary>The edges the registry knew live at its last change, so that a re-activated registry knows them at once.</summary>
public sealed class EdgeRegistryState
{
    public Dictionary<string, StoredEdge> Edges { get; set; } = new(StringComparer.Ordinal);

    /// <summary>One edge: its endpoints, the run of its process and its observer's grain id.</summary>
    public sealed class StoredEdge
    {
        public string TcpAddress { get; set; } = "";

        public string WebSocketUrl { get; set; } = "";

        public string? TcpTlsAddress { get; set; }

        public string? SecureWebSocketUrl { get; set; }

        public string Incarnation { get; set; } = "";

        public string ObserverId { get; set; } = "";
    }
}
