namespace AppMsg.Sessions;

/// <summary>One device's REGISTER as its edge hands it to <see cref="ISessionRegistrarGrain"/>.</summary>
/// <param name="SessionId">The session id the edge chose (and already lists the connection under).</param>
/// <param name="UserId">The user id the device claims; its token must belong to that user.</param>
/// <param name="TokenHash">The hash of the login token (the key of its <c>IAuthTokenGrain</c>).</param>
/// <param name="TerminalType">The terminal type bit.</param>
/// <param name="DeviceId">The device the terminal named, or null.</param>
/// <param name="EdgeId">The edge holding the connection.</param>
/// <param name="EdgeIncarnation">The run of that edge process.</param>
/// <param name="Since">When the edge received the REGISTER.</param>
[GenerateSerializer, Immutable]
public sealed record RegisterTicket(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string TokenHash,
    [property: Id(3)] int TerminalType,
    [property: Id(4)] string? DeviceId,
    [property: Id(5)] string EdgeId,
    [property: Id(6)] string? EdgeIncarnation,
    [property: Id(7)] DateTimeOffset Since);
