namespace AppMsg.Quotas;

/// <summary>What a quota's owner granted an edge.</summary>
/// <param name="Granted">How many units the edge may use: 0 (refused) or at least what it asked for.</param>
/// <param name="Day">The UTC day (days since 0001-01-01) daily units belong to; they lapse with it.</param>
/// <param name="RetryAfterSeconds">When refused: how long until the limit lets more through.</param>
/// <param name="Limits">The owner's limits now, so the edge's copy stays fresh.</param>
[GenerateSerializer, Immutable]
public sealed record QuotaLease(
    [property: Id(0)] long Granted,
    [property: Id(1)] int Day,
    [property: Id(2)] int RetryAfterSeconds,
    [property: Id(3)] QuotaLimits Limits);
