using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

/// <summary>A system whose silo has no <c>APPMSG_SECRETS_KEY</c>.</summary>
public sealed class NoSecretsKeySystem : RunningSystem
{
    protected override Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) => settings with { SecretsKey = null };
}
