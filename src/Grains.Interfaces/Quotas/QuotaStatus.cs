namespace AppMsg.Quotas;

/// <summary>A quota owner's limits and use, as <c>GET .../quotas</c> shows them.</summary>
[GenerateSerializer, Immutable]
public sealed record QuotaStatus(
    [property: Id(0)] QuotaLimits Limits,
    [property: Id(1)] QuotaUsage Usage);
