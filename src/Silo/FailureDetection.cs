using Orleans.Configuration;
using Orleans.Hosting;

namespace AppMsg.Silo;

/// <summary>
/// How fast the cluster declares a silo dead (its grains then re-activate elsewhere, and the sessions they held are
/// learned again from the edges). Orleans' defaults take 15 to 30 s after a <c>kill -9</c>; these take about 6 s
/// (a probe every 2 s, dead after 3 missed in a row), so that every connected device is reachable again within
/// 10 s. The price is a probe every 2 s from each silo to up to three others, which is negligible.
/// </summary>
public static class FailureDetection
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    public const int MissedProbesLimit = 3;

    public static ISiloBuilder ConfigureFailureDetection(this ISiloBuilder silo) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.NumMissedProbesLimit = MissedProbesLimit;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
        });
}
