using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>The connection ended, or a reconnect gave up.</summary>
/// <param name="Reason">Why, for logs: closed by the server, a transport error, a protocol error, kicked, disposed, ...</param>
/// <param name="Kick">The KICK reason when the server kicked the session.</param>
/// <param name="WillReconnect">Whether the client is going to reconnect; a <see cref="ReconnectedEvent"/> follows when it succeeds.</param>
public sealed record DisconnectedEvent(string Reason, KickReason? Kick, bool WillReconnect) : DeviceEvent;
