using AppMsg.Testing;

namespace AppMsg.Directory.Tests;

/// <summary>A system whose login lockouts last long enough (30 s) that no test races the first one's end.</summary>
public sealed class LoginThrottleSystem : RunningSystem
{
    public const int FreePerUser = 5;
    public const int FreePerAddress = 8;

    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) => settings with
    {
        LoginFreeAttemptsPerUser = FreePerUser,
        LoginFreeAttemptsPerAddress = FreePerAddress,
        LoginFirstLockout = TimeSpan.FromSeconds(30),
    };
}
