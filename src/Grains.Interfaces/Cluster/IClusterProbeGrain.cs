namespace AppMsg.Cluster;

/// <summary>
/// A stateless grain that answers on whichever silo receives the call. Edges use it for
/// readiness (<c>/readyz</c>): an answer proves that a silo is reachable and serving grains.
/// </summary>
public interface IClusterProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Answers with the name of the silo that served the call and its clock.</summary>
    Task<ClusterProbeAnswer> PingAsync();
}
