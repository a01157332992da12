using AppMsg.Cluster;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AppMsg.Grains.Cluster;

[StatelessWorker]
public sealed class ClusterProbeGrain(ILocalSiloDetails silo) : Grain, IClusterProbeGrain
{
    public Task<ClusterProbeAnswer> PingAsync() =>
        Task.FromResult(new ClusterProbeAnswer(silo.Name, DateTimeOffset.UtcNow));
}
