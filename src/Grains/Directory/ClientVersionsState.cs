using AppMsg.Directory;

namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class ClientVersionsState
{
    /// <summary>The published versions, in publishing order.</summary>
    [Id(0)] public List<ClientVersionInfo> Versions { get; set; } = [];
}
