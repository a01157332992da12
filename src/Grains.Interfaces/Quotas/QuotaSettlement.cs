namespace AppMsg.Quotas;

/// <summary>
/// An edge's periodic account to a quota's owner: daily units it took and will not use (given back), and the
/// connection slots it holds now (an absolute count, so a lost or repeated settlement does no harm).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QuotaSettlement(
    [property: Id(0)] int Day,
    [property: Id(1)] long UnusedApiCalls,
    [property: Id(2)] long UnusedMessages,
    [property: Id(3)] long HeldConnections);
