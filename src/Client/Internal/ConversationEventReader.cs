using System.Text.Json;

namespace AppMsg.Client.Internal;

/// <summary>
/// Reads the server's conversation events (an unstored PUSH whose envelope starts with an <c>event</c> field) and recall
/// notices (a stored message of type <c>recall</c>). Other envelopes are not parsed.
/// </summary>
internal static class ConversationEventReader
{
    private static ReadOnlySpan<byte> EventPrefix => "{\"event\":"u8;

    private static ReadOnlySpan<byte> RecallType => "\"type\":\"recall\""u8;

    /// <summary>A <see cref="ReadMarkEvent"/>, <see cref="PeerReadEvent"/> or <see cref="TypingEvent"/>; false for a message.</summary>
    public static bool TryReadEvent(ReadOnlySpan<byte> payload, out DeviceEvent? signal)
    {
        signal = null;
        if (!payload.StartsWith(EventPrefix))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            signal = root.GetProperty("event").GetString() switch
            {
                "read" => new ReadMarkEvent(root.GetProperty("conversation").GetString()!, root.GetProperty("seq").GetInt64(), root.GetProperty("unread").GetInt64()),
                "peerRead" => new PeerReadEvent(root.GetProperty("conversation").GetString()!, root.GetProperty("messageId").GetString()!,
                    root.GetProperty("readUpTo").GetInt64()),
                "typing" => new TypingEvent(root.GetProperty("conversation").GetString()!, root.GetProperty("from").GetString()!),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            signal = null;
        }

        // An event this client does not know is still not a message.
        return true;
    }

    /// <summary>The recall a stored <c>recall</c> notice announces; false for any other message.</summary>
    public static bool TryReadRecall(ReadOnlySpan<byte> envelope, out RecallEvent? recall)
    {
        recall = null;
        if (envelope.IndexOf(RecallType) < 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(envelope);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("type").GetString() != "recall")
            {
                return false;
            }

            var content = root.GetProperty("content");
            recall = new RecallEvent(content.GetProperty("id").GetString()!, root.GetProperty("timeline").GetString()!, content.GetProperty("seq").GetInt64(),
                content.TryGetProperty("by", out var by) ? by.GetString() : null);
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
