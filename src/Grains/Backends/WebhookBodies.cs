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

    /// <summary><c>{"kind":"session","appId","event":{"type":"online|offline","userId","sessionId","terminalType","edgeId","since","at"}}</c>.</summary>
    public static byte[] Session(string appId, SessionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "session");
            writer.WriteString("appId", appId);
            writer.WriteStartObject("event");
            writer.WriteString("type", e.Kind == SessionEventKind.Online ? "online" : "offline");
            writer.WriteString("userId", e.UserId);
            writer.WriteString("tenantId", e.TenantId);
            writer.WriteString("sessionId", e.SessionId);
            writer.WriteNumber("terminalType", e.TerminalType);
            writer.WriteString("edgeId", e.EdgeId);
            writer.WriteNumber("since", e.Since.ToUnixTimeMilliseconds());
            writer.WriteNumber("at", e.At.ToUnixTimeMilliseconds());
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
