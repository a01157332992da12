namespace AppMsg.Quotas;

/// <summary>
/// A quota owner's use now. Daily counts include what edges hold in reserve and have not used yet (at most a block
/// per edge, given back within seconds of being idle).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QuotaUsage(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] long ApiCalls,
    [property: Id(2)] long Messages,
    [property: Id(3)] long Connections,
    [property: Id(4)] long MediaBytes);
