using System.Buffers;
using System.Text.Json;

namespace AppMsg.Client;

/// <summary>
/// Conversation commands (docs/protocol.md, "Conversations"): each is an up IM whose type is the command, answered with IMRESP.
/// What the server tells back arrives as <see cref="ReadMarkEvent"/>, <see cref="PeerReadEvent"/>, <see cref="TypingEvent"/>
/// and <see cref="RecallEvent"/>.
/// </summary>
public sealed partial class DeviceClient
{
    /// <summary>
    /// Marks a conversation read up to <paramref name="seq"/> (in this user's inbox for 1:1, in the qun for a qun); the
    /// server clamps it to the last seq. On success <see cref="ImResult.Json"/> is <c>{"conversation","seq","unread"}</c>.
    /// </summary>
    /// <param name="conversation">The peer (<c>id@user</c>, <c>id@app</c>) or the qun (<c>id@qun</c>).</param>
    public Task<ImResult> MarkReadAsync(string conversation, long seq, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        return SendImAsync(Command(conversation, "read", json => json.WriteNumber("seq", seq)), cancellationToken);
    }

    /// <summary>Recalls a message this user sent, within the tenant's recall window; too late or not the sender: <see cref="Protocol.ImResultCode.NotAllowed"/>.</summary>
    /// <param name="conversation">The conversation the message is in (the peer or the qun).</param>
    /// <param name="messageId">The message's id (from its <see cref="ImResult.MessageId"/>).</param>
    public Task<ImResult> RecallAsync(string conversation, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return SendImAsync(Command(conversation, "recall", json => json.WriteString("id", messageId)), cancellationToken);
    }

    /// <summary>Tells the peer or the qun's online members that this user is typing; the server passes on at most one every 2 s per session.</summary>
    public Task<ImResult> SendTypingAsync(string conversation, CancellationToken cancellationToken = default) =>
        SendImAsync(Command(conversation, "typing", _ => { }), cancellationToken);

    private static ReadOnlyMemory<byte> Command(string conversation, string type, Action<Utf8JsonWriter> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversation);
        var output = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("to", conversation);
            json.WriteString("type", type);
            json.WriteStartObject("content");
            content(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return output.WrittenMemory;
    }
}
