namespace AppMsg.Bench.Systems;

/// <summary>A user of a system under test: its id there and, for AppMsg, its login token and edge addresses (the TLS ones when served).</summary>
public sealed record BenchUser(int Index, string Id, string Token = "", string TcpEndpoint = "", string WsEndpoint = "", string? TlsEndpoint = null, string? WssEndpoint = null);
