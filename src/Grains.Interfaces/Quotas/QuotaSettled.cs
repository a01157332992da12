namespace AppMsg.Quotas;

/// <summary>
/// The answer to a settlement: the limits now, whether the owner is short (edges then give back what they hold at
/// once), and the connection slots all edges hold (the cluster's device sessions, for the peak statistic).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QuotaSettled(
    [property: Id(0)] QuotaLimits Limits,
    [property: Id(1)] bool Short,
    [property: Id(2)] long Connections);
