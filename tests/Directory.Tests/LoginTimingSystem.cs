using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>A system with a real password cost (100,000 iterations) and no throttling in the way of repeated failures.</summary>
public sealed class LoginTimingSystem : RunningSystem
{
    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) => settings with
    {
        PasswordIterations = 100_000,
        LoginFreeAttemptsPerUser = 1_000,
        LoginFreeAttemptsPerAddress = 1_000_000,
    };
}
