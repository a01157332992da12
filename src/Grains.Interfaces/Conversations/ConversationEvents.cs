using System.Buffers;
using System.Text.Json;

namespace AppMsg.Conversations;

/// <summary>
/// The transient events sent to terminals as an unstored PUSH (no timeline, no seq, never replayed). Each is one JSON object
/// with an <c>event</c> field, which no message envelope has, so a terminal tells them from messages by that field.
/// </summary>
public static class ConversationEvents
{
    /// <summary>
    /// To the user's other sessions: the user marked <paramref name="conversation"/> read up to <paramref name="seq"/>
    /// and has <paramref name="unread"/> unread messages left there.
    /// </summary>
    public static byte[] Read(string conversation, long seq, long unread) => Write(json =>
    {
        json.WriteString("event", "read");
        json.WriteString("conversation", conversation);
        json.WriteNumber("seq", seq);
        json.WriteNumber("unread", unread);
    });

    /// <summary>
    /// To the peer in a 1:1 conversation: <paramref name="reader"/> read the peer's messages up to <paramref name="messageId"/>
    /// (sent at <paramref name="readUpToMs"/>): every message of the peer's sent up to then is read.
    /// </summary>
    public static byte[] PeerRead(string reader, string messageId, long readUpToMs) => Write(json =>
    {
        json.WriteString("event", "peerRead");
        json.WriteString("conversation", reader);
        json.WriteString("by", reader);
        json.WriteString("messageId", messageId);
        json.WriteNumber("readUpTo", readUpToMs);
    });

    /// <summary><paramref name="from"/> is typing in <paramref name="conversation"/> (as the receiving user names it).</summary>
    public static byte[] Typing(string conversation, string from) => Write(json =>
    {
        json.WriteString("event", "typing");
        json.WriteString("conversation", conversation);
        json.WriteString("from", from);
    });

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
