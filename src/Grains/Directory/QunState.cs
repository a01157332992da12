using AppMsg.Directory;

namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class QunState
{
    [Id(0)] public string? TenantId { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string Topic { get; set; } = "";
    [Id(3)] public string OwnerId { get; set; } = "";
    [Id(4)] public int MaxMembers { get; set; }
    [Id(5)] public bool Dissolved { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Members by user id, the owner included.</summary>
    [Id(7)] public Dictionary<string, QunRole> Members { get; set; } = [];
}
