namespace AppMsg.Bench.Faults;

/// <summary>A device's current registration: its session id (the target of a session push) and when REGRESP came.</summary>
public sealed record DeviceSession(string SessionId, long RegisteredAt);
