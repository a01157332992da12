namespace AppMsg.Sessions;

/// <summary>
/// One live connection, keyed by session id: the target of session push and kicks. The edge opens it
/// at REGISTER and closes it when the connection ends.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Records the session (called by the edge after a successful REGISTER).</summary>
    Task OpenAsync(SessionInfo session);

    /// <summary>Forgets the session (called by the edge when the connection ends).</summary>
    Task CloseAsync();

    /// <summary>The session, or null when it is not live.</summary>
    Task<SessionInfo?> GetAsync();

    /// <summary>Sends a PUSH with this envelope (UTF-8 JSON) to the session; false when it is not live.</summary>
    Task<bool> PushAsync(byte[] envelope);

    /// <summary>Sends a stored message to the session (PUSH, or IM for a user's message); false when it is not live.</summary>
    Task<bool> DeliverAsync(Delivery delivery);

    /// <summary>Kicks the session with a KICK reason and closes its connection.</summary>
    Task KickAsync(byte reason);
}
