namespace AppMsg.Bench.Systems;

/// <summary>A user of a system under test: its id there and, for AppMsg, its login token and edge addresses.</summary>
public sealed record BenchUser(int Index, string Id, string Token = "", string TcpEndpoint = "", string WsEndpoint = "");
