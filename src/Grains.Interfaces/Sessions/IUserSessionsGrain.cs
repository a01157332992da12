namespace AppMsg.Sessions;

/// <summary>
/// The live sessions of one user (keyed by user id): kicks by the tenant's login policy, presence,
/// and push to all of a user's terminals. Sessions on dead edges drop out within the edge lease.
/// </summary>
public interface IUserSessionsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a session, kicks those it displaces under <paramref name="policy"/> and, when
    /// <paramref name="sendStoredCallbacks"/>, sends it the user's stored callbacks. Answers whether the user had
    /// another session now or within the last seconds: then read positions may have moved that are not saved yet,
    /// and only the user's cursor grain knows them.
    /// </summary>
    Task<bool> AttachAsync(SessionInfo session, SessionPolicy policy, bool sendStoredCallbacks);

    /// <summary>Removes a session.</summary>
    Task DetachAsync(string sessionId);

    /// <summary>The live sessions.</summary>
    Task<IReadOnlyList<SessionInfo>> GetSessionsAsync();

    /// <summary>
    /// Sends a PUSH to every live session whose terminal type is in <paramref name="terminalTypes"/> (and, when
    /// <paramref name="onlySessions"/> is set, that it names), except <paramref name="exceptSessionId"/>; returns how many were addressed.
    /// </summary>
    Task<int> PushAsync(int terminalTypes, Delivery delivery, IReadOnlyList<string>? onlySessions = null, string? exceptSessionId = null);

    /// <summary>Kicks the sessions that registered with this login token (logout) with the reason.</summary>
    Task KickTokenSessionsAsync(string tokenHash, byte reason);

    /// <summary>Kicks every live session (logout, disable) with the reason.</summary>
    Task KickAllAsync(byte reason);
}
