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
/// <param name="Id">
/// The event's id, given once when it is published: a redelivery of the same event (after a timeout, a backend's or a
/// silo's restart) carries the same id, so backends de-duplicate by it. A session re-learned after a silo died may be
/// published again as a new event with a new id: treat online/offline as state, not as counts.
/// </param>
/// <param name="Seq">
/// Its number in the tenant's session-events timeline (1, 2, 3, ... without gaps; 0 before it is stored): acknowledge it
/// with this. A backend that sees a seq jump past its last one + 1 missed events (pruned after the retention).
/// </param>
[GenerateSerializer, Immutable]
public sealed record SessionEvent(
    [property: Id(0)] SessionEventKind Kind,
    [property: Id(1)] string UserId,
    [property: Id(2)] string TenantId,
    [property: Id(3)] string SessionId,
    [property: Id(4)] int TerminalType,
    [property: Id(5)] string EdgeId,
    [property: Id(6)] DateTimeOffset Since,
    [property: Id(7)] DateTimeOffset At,
    [property: Id(8)] string Id = "",
    [property: Id(9)] long Seq = 0);
