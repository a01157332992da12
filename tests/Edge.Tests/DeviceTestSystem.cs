using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>A running system with short device limits, so that deadline tests run in seconds.</summary>
public sealed class DeviceTestSystem : RunningSystem
{
    public static readonly TimeSpan RegisterDeadline = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(3);

    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => settings with
    {
        Devices = settings.Devices with { RegisterDeadline = RegisterDeadline, IdleLimit = IdleLimit, MaxBodyLength = 4096 },
    };

    public Uri WebSocketUri => new($"ws://127.0.0.1:{EdgeSettings.HttpPort}/ws");
}
