namespace AppMsg.Directory;

/// <summary>A tenant's login policy.</summary>
/// <param name="OneSessionPerTerminalType">A new REGISTER of the same user and terminal type kicks the older session (reason 1).</param>
/// <param name="AndroidIosExclusive">An Android session and an iOS session of one user exclude each other (reason 2).</param>
/// <param name="AllowAnonymousSessions">Devices may register without id and token and receive public app broadcasts.</param>
/// <param name="DirectMessages">Which users may send direct messages to which (<c>anyone</c>, <c>contacts</c>, <c>none</c>).</param>
/// <param name="RecallWindowSeconds">How long after sending a user may recall a message (0 to 86400; null: 120).</param>
[GenerateSerializer, Immutable]
public sealed record TenantSettings(
    [property: Id(0)] bool OneSessionPerTerminalType = true,
    [property: Id(1)] bool AndroidIosExclusive = false,
    [property: Id(2)] bool AllowAnonymousSessions = false,
    [property: Id(3)] DirectMessagePolicy DirectMessages = DirectMessagePolicy.Anyone,
    [property: Id(4)] int? RecallWindowSeconds = null);
