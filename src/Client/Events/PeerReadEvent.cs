namespace AppMsg.Client;

/// <summary>The peer of a 1:1 conversation read this user's messages sent up to <paramref name="ReadUpToMs"/>.</summary>
/// <param name="Conversation">The peer (<c>id@user</c>), who read.</param>
/// <param name="MessageId">The newest of this user's messages the peer read.</param>
/// <param name="ReadUpToMs">That message's time (unix ms): every message of this user's sent up to then is read.</param>
public sealed record PeerReadEvent(string Conversation, string MessageId, long ReadUpToMs) : DeviceEvent;
