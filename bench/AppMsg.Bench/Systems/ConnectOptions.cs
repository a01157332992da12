namespace AppMsg.Bench.Systems;

/// <summary>How a device connects: transport (tcp, ws, wsjson), the group it follows, whether its session outlives the connection (MQTT).</summary>
public sealed record ConnectOptions(string Transport, string? Group = null, bool Persistent = false);
