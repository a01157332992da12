namespace AppMsg.Cluster;

/// <summary>What a silo says when probed.</summary>
/// <param name="SiloName">The silo that served the probe.</param>
/// <param name="ServerTime">That silo's clock.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterProbeAnswer([property: Id(0)] string SiloName, [property: Id(1)] DateTimeOffset ServerTime);
