namespace AppMsg.Backends;

/// <summary>A user's terminal came online or went offline.</summary>
/// <param name="Kind">Online or offline.</param>
/// <param name="UserId">The user.</param>
/// <param name="TenantId">The user's tenant.</param>
/// <param name="SessionId">The session.</param>
/// <param name="TerminalType">The terminal type bit (1 Android, 2 iOS, 4 WinPhone, 8 Web, 16 PC).</param>
/// <param name="EdgeId">The edge that held the connection.</param>
/// <param name="Since">When the session registered.</param>
/// <param name="At">When the event happened.</param>
[GenerateSerializer, Immutable]
public sealed record SessionEvent(
    [property: Id(0)] SessionEventKind Kind,
    [property: Id(1)] string UserId,
    [property: Id(2)] string TenantId,
    [property: Id(3)] string SessionId,
    [property: Id(4)] int TerminalType,
    [property: Id(5)] string EdgeId,
    [property: Id(6)] DateTimeOffset Since,
    [property: Id(7)] DateTimeOffset At);
