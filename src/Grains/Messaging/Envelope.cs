using System.Buffers;
using System.Text.Json;

namespace AppMsg.Grains.Messaging;

/// <summary>Builds the down envelope (protocol section 3) once, at append: stored and pushed as is.</summary>
public static class Envelope
{
    public static byte[] Build(string id, string timeline, long seq, string from, string to, string type, string content, DateTimeOffset ts, DateTimeOffset? expiresAt)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + content.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("timeline", timeline);
            json.WriteNumber("seq", seq);
            json.WriteString("from", from);
            json.WriteString("to", to);
            json.WriteString("type", type);
            json.WritePropertyName("content");
            json.WriteRawValue(content, skipInputValidation: true);
            json.WriteNumber("ts", ts.ToUnixTimeMilliseconds());
            if (expiresAt is { } expires)
            {
                json.WriteNumber("expiresAt", expires.ToUnixTimeMilliseconds());
            }
            else
            {
                json.WriteNull("expiresAt");
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
