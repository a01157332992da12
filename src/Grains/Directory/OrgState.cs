namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class OrgState
{
    [Id(0)] public string? TenantId { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string? ParentId { get; set; }
    [Id(3)] public int SortOrder { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public bool Deleted { get; set; }

    /// <summary>The user ids of the direct members.</summary>
    [Id(6)] public HashSet<string> Members { get; set; } = [];
}
