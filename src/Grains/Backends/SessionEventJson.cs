using System.Text.Json;
using AppMsg.Backends;

namespace AppMsg.Grains.Backends;

/// <summary>
/// A session event as JSON: <c>{"id","seq","type":"online|offline","userId","tenantId","sessionId","terminalType","edgeId","since","at"}</c>
/// (times in unix ms). The form it is stored in (without <c>seq</c>, which is the row's) and the <c>event</c> a webhook receives.
/// </summary>
public static class SessionEventJson
{
    /// <summary>Writes the event as one object.</summary>
    public static void Write(Utf8JsonWriter writer, SessionEvent e, bool withSeq)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString("id", e.Id);
        if (withSeq)
        {
            writer.WriteNumber("seq", e.Seq);
        }

        writer.WriteString("type", e.Kind == SessionEventKind.Online ? "online" : "offline");
        writer.WriteString("userId", e.UserId);
        writer.WriteString("tenantId", e.TenantId);
        writer.WriteString("sessionId", e.SessionId);
        writer.WriteNumber("terminalType", e.TerminalType);
        writer.WriteString("edgeId", e.EdgeId);
        writer.WriteNumber("since", e.Since.ToUnixTimeMilliseconds());
        writer.WriteNumber("at", e.At.ToUnixTimeMilliseconds());
        writer.WriteEndObject();
    }

    /// <summary>The stored form (UTF-8).</summary>
    public static byte[] ToStored(SessionEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, e, withSeq: false);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the stored form back, with the row's seq.</summary>
    /// <exception cref="JsonException">Not a stored session event.</exception>
    public static SessionEvent FromStored(byte[] json, long seq)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new SessionEvent(
            root.GetProperty("type").GetString() == "online" ? SessionEventKind.Online : SessionEventKind.Offline,
            root.GetProperty("userId").GetString()!,
            root.GetProperty("tenantId").GetString()!,
            root.GetProperty("sessionId").GetString()!,
            root.GetProperty("terminalType").GetInt32(),
            root.GetProperty("edgeId").GetString()!,
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("since").GetInt64()),
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("at").GetInt64()),
            root.GetProperty("id").GetString()!,
            seq);
    }
}
