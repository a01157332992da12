namespace AppMsg.Quotas;

/// <summary>The answer to a settlement: the limits now, and whether the owner is short (edges then give back what they hold at once).</summary>
[GenerateSerializer, Immutable]
public sealed record QuotaSettled(
    [property: Id(0)] QuotaLimits Limits,
    [property: Id(1)] bool Short);
