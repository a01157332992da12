namespace AppMsg.Client;

/// <summary>Another terminal of this user marked <paramref name="Conversation"/> read up to <paramref name="Seq"/>; <paramref name="Unread"/> messages are left unread there.</summary>
/// <param name="Conversation">The peer (<c>id@user</c>, <c>id@app</c>) or the qun (<c>id@qun</c>).</param>
/// <param name="Seq">The read mark (in this user's inbox for 1:1, in the qun's timeline for a qun).</param>
/// <param name="Unread">The conversation's unread count after the mark.</param>
public sealed record ReadMarkEvent(string Conversation, long Seq, long Unread) : DeviceEvent;
