using AppMsg.Testing;

namespace AppMsg.Edge.Tests.HttpFuzz;

/// <summary>
/// A system for the HTTP fuzz: the fuzz's failed logins all come from 127.0.0.1, so the per-address login budget is
/// raised enough that the fuzz can still log its own user in again (per user name lockouts stay as they are).
/// </summary>
public sealed class HttpFuzzSystem : RunningSystem
{
    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) => settings with { LoginFreeAttemptsPerAddress = 100_000 };
}
