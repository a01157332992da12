using System.Text.Json;
using AppMsg.Backends;

namespace AppMsg.Grains.Backends;

/// <summary>The JSON bodies a webhook receives.</summary>
public static class WebhookBodies
{
    /// <summary><c>{"kind":"message","appId","seq","from","message":&lt;envelope&gt;}</c>.</summary>
    public static byte[] Message(string appId, long seq, string from, byte[] envelope)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "message");
            writer.WriteString("appId", appId);
            writer.WriteNumber("seq", seq);
            writer.WriteString("from", from);
            writer.WritePropertyName("message");
            writer.WriteRawValue(envelope, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary><c>{"kind":"session","appId","event":{"id","seq","type":"online|offline","userId","tenantId","sessionId","terminalType","edgeId","since","at"}}</c>.</summary>
    public static byte[] Session(string appId, SessionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "session");
            writer.WriteString("appId", appId);
            writer.WritePropertyName("event");
            SessionEventJson.Write(writer, e, withSeq: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
