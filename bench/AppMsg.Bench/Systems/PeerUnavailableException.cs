namespace AppMsg.Bench.Systems;

/// <summary>A peer cannot run on this machine (not installed, cannot be installed); reported as such in the table.</summary>
public sealed class PeerUnavailableException(string message) : Exception(message);
