namespace AppMsg.Client;

/// <summary><paramref name="From"/> is typing in <paramref name="Conversation"/> (transient: never stored or replayed).</summary>
/// <param name="Conversation">The peer (<c>id@user</c>) for 1:1, or the qun (<c>id@qun</c>).</param>
/// <param name="From">Who is typing (<c>id@user</c>).</param>
public sealed record TypingEvent(string Conversation, string From) : DeviceEvent;
