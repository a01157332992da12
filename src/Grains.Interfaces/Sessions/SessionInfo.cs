namespace AppMsg.Sessions;

/// <summary>One live connection of a terminal.</summary>
/// <param name="SessionId">The session's id (also the key of its <see cref="ISessionGrain"/>).</param>
/// <param name="UserId">The user, or null for an anonymous session.</param>
/// <param name="TenantId">The user's tenant.</param>
/// <param name="TerminalType">The terminal type bit (1 Android, 2 iOS, 4 WinPhone, 8 Web, 16 PC).</param>
/// <param name="EdgeId">The edge holding the connection.</param>
/// <param name="Since">When the session registered.</param>
/// <param name="TokenHash">The hash of the login token the session registered with (logout ends its sessions).</param>
/// <param name="EdgeIncarnation">The run of the edge process holding it (<see cref="EdgeInfo.Incarnation"/>): a session
/// of an earlier run of the same edge id is gone.</param>
/// <param name="DeviceId">The device the terminal named at REGISTER (its own read position), or null.</param>
[GenerateSerializer, Immutable]
public sealed record SessionInfo(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string TenantId,
    [property: Id(3)] int TerminalType,
    [property: Id(4)] string EdgeId,
    [property: Id(5)] DateTimeOffset Since,
    [property: Id(6)] string? TokenHash = null,
    [property: Id(7)] string? EdgeIncarnation = null,
    [property: Id(8)] string? DeviceId = null);
