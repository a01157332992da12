using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace AppMsg.Protocol;

/// <summary>
/// A parsed SYNC: <c>{"cursors": {"&lt;timeline&gt;": &lt;last seq seen&gt;, ...}}</c>. The same JSON is the binary
/// SYNC body and the text form's <c>data</c>. No cursors means "since what the server last saw acknowledged".
/// </summary>
public sealed class SyncRequest
{
    /// <summary>A request without cursors.</summary>
    public static readonly SyncRequest SinceLastAcknowledged = new(new Dictionary<string, long>(0, StringComparer.Ordinal));

    /// <summary>Creates a request.</summary>
    public SyncRequest(IReadOnlyDictionary<string, long> cursors)
    {
        ArgumentNullException.ThrowIfNull(cursors);
        Cursors = cursors;
    }

    /// <summary>The last sequence number the terminal has seen, per timeline address.</summary>
    public IReadOnlyDictionary<string, long> Cursors { get; }

    /// <summary>
    /// Parses SYNC JSON. An empty input, <c>{}</c> and <c>"cursors": null</c> all mean no cursors; other fields are
    /// ignored. Each cursor is a non-empty timeline with an integer 0..2^63-1; at most
    /// <see cref="ProtocolLimits.MaxSyncCursors"/> cursors; a repeated timeline is an error.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SyncRequest? request, out ProtocolError error)
    {
        request = null;
        if (json.IsEmpty)
        {
            request = SinceLastAcknowledged;
            error = default;
            return true;
        }

        if (!Utf8.IsValid(json))
        {
            error = ProtocolErrors.NotUtf8;
            return false;
        }

        try
        {
            return TryParseObject(json, out request, out error);
        }
        catch (JsonException)
        {
            error = ProtocolErrors.MalformedJson;
            return false;
        }
    }

    private static bool TryParseObject(ReadOnlySpan<byte> json, out SyncRequest? request, out ProtocolError error)
    {
        request = null;
        var reader = JsonInput.CreateReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        Dictionary<string, long>? cursors = null;
        var seen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("cursors"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            if (seen)
            {
                error = ProtocolErrors.DuplicateField;
                return false;
            }

            seen = true;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = ProtocolErrors.CursorsNotObject;
                return false;
            }

            cursors = [];
            if (!TryReadCursors(ref reader, cursors, out error))
            {
                return false;
            }
        }

        if (reader.Read())
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        error = default;
        request = cursors is null || cursors.Count == 0 ? SinceLastAcknowledged : new SyncRequest(cursors);
        return true;
    }

    private static bool TryReadCursors(ref Utf8JsonReader reader, Dictionary<string, long> cursors, out ProtocolError error)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var timeline = reader.GetString()!;
            if (timeline.Length == 0)
            {
                error = ProtocolErrors.CursorTimelineEmpty;
                return false;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.Number)
            {
                error = ProtocolErrors.CursorNotNumber;
                return false;
            }

            if (!reader.TryGetInt64(out var seq) || seq < 0)
            {
                error = ProtocolErrors.CursorOutOfRange;
                return false;
            }

            if (cursors.Count == ProtocolLimits.MaxSyncCursors)
            {
                error = ProtocolErrors.TooManyCursors;
                return false;
            }

            if (!cursors.TryAdd(timeline, seq))
            {
                error = ProtocolErrors.DuplicateField;
                return false;
            }
        }

        error = default;
        return true;
    }
}
