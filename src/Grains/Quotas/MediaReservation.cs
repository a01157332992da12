namespace AppMsg.Grains.Quotas;

/// <summary>
/// Stored media bytes reserved for one upload under way (docs/quotas.md, "Media reservations"): kept in the quota's
/// stored state so that a grain activated again still counts them; dropped at <paramref name="Expires"/> if the
/// upload never settles (its edge died).
/// </summary>
[GenerateSerializer]
public sealed record MediaReservation([property: Id(0)] long Bytes, [property: Id(1)] DateTimeOffset Expires);
