using AppMsg.Directory;

namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class TenantState
{
    [Id(0)] public string? Name { get; set; }
    [Id(1)] public TenantSettings Settings { get; set; } = new();
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public bool Disabled { get; set; }
}
