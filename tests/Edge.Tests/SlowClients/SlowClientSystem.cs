using AppMsg.Testing;

namespace AppMsg.Edge.Tests.SlowClients;

/// <summary>An edge with short slow-client limits, so each test sees them act within seconds.</summary>
public sealed class SlowClientSystem : RunningSystem
{
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan BodyGrace = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RegisterDeadline = TimeSpan.FromSeconds(2);
    public const int FreeRegisterFailures = 20;

    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => settings with
    {
        HttpHeadersTimeout = HeadersTimeout,
        MinRequestBodyGrace = BodyGrace,
        Devices = settings.Devices with { RegisterDeadline = RegisterDeadline, RegisterFreeFailuresPerAddress = FreeRegisterFailures },
    };
}
