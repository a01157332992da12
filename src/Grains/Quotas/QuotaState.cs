using AppMsg.Quotas;

namespace AppMsg.Grains.Quotas;

[GenerateSerializer]
public sealed class QuotaState
{
    [Id(0)] public QuotaLimits Limits { get; set; } = QuotaLimits.None;

    /// <summary>The UTC day (<see cref="DateOnly.DayNumber"/>) the daily counts belong to.</summary>
    [Id(1)] public int Day { get; set; }

    /// <summary>API calls granted to edges today, less what they gave back.</summary>
    [Id(2)] public long ApiCalls { get; set; }

    /// <summary>Messages granted to edges today, less what they gave back.</summary>
    [Id(3)] public long Messages { get; set; }

    /// <summary>Stored media bytes charged to the owner (new bytes of uploads, less what was pruned).</summary>
    [Id(4)] public long MediaBytes { get; set; }

    /// <summary>Media bytes reserved by uploads under way, by upload id (only while a <c>mediaBytes</c> limit is set).</summary>
    [Id(5)] public Dictionary<string, MediaReservation> MediaReservations { get; set; } = new(StringComparer.Ordinal);
}
