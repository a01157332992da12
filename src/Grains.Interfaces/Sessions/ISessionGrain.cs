namespace AppMsg.Sessions;

/// <summary>
/// One live connection, keyed by session id: the target of session push and kicks. It holds nothing the cluster must
/// keep: the edge holding the connection is the source of truth, and the grain asks the live edges where the session
/// is (and checks with that edge before each use), so it answers right however long ago it was activated.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>The session, or null when it is not live.</summary>
    Task<SessionInfo?> GetAsync();

    /// <summary>Sends a PUSH with this envelope (UTF-8 JSON) to the session; false when it is not live.</summary>
    Task<bool> PushAsync(byte[] envelope);

    /// <summary>Sends a stored message to the session (PUSH, or IM for a user's message); false when it is not live.</summary>
    Task<bool> DeliverAsync(Delivery delivery);

    /// <summary>Kicks the session with a KICK reason and closes its connection.</summary>
    Task KickAsync(byte reason);
}
