using AppMsg.Backends;

namespace AppMsg.Grains.Backends;

/// <summary>A user's stored callbacks.</summary>
[GenerateSerializer]
public sealed class PendingCallbacksState
{
    [Id(0)] public List<StoredCallback> Callbacks { get; set; } = [];
}
