namespace AppMsg.Sessions;

/// <summary>Which of a user's sessions a new session displaces (the tenant's login policy).</summary>
/// <param name="OneSessionPerTerminalType">An older session of the same terminal type is kicked (reason 1).</param>
/// <param name="AndroidIosExclusive">An Android session displaces an iOS one and vice versa (reason 2).</param>
[GenerateSerializer, Immutable]
public sealed record SessionPolicy([property: Id(0)] bool OneSessionPerTerminalType, [property: Id(1)] bool AndroidIosExclusive)
{
    /// <summary>The policy a tenant's settings set.</summary>
    public static SessionPolicy Of(AppMsg.Directory.TenantSettings settings) => new(settings.OneSessionPerTerminalType, settings.AndroidIosExclusive);
}
