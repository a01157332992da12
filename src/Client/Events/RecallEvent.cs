namespace AppMsg.Client;

/// <summary>
/// A message was recalled: raised after the <see cref="PushEvent"/> or <see cref="ImEvent"/> of the stored <c>recall</c> notice
/// (live or replayed). The message's content is gone from the server; a terminal removes it from view.
/// </summary>
/// <param name="MessageId">The recalled message's id.</param>
/// <param name="Timeline">The timeline the notice (and the recalled message) is in.</param>
/// <param name="Seq">The recalled message's seq in that timeline.</param>
/// <param name="RecalledBy">Who recalled it: the sender's address, an app's, or <c>operator</c>.</param>
public sealed record RecallEvent(string MessageId, string Timeline, long Seq, string? RecalledBy) : DeviceEvent;
