using System.Text.Json;

namespace AppMsg.Protocol;

/// <summary>Reader settings and small reading steps shared by the JSON parsers.</summary>
internal static class JsonInput
{
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = ProtocolLimits.MaxJsonDepth,
    };

    /// <summary>What <see cref="JsonFrame.Data"/> holds when the message has no data.</summary>
    public static readonly ReadOnlyMemory<byte> EmptyObject = "{}"u8.ToArray();

    public static Utf8JsonReader CreateReader(ReadOnlySpan<byte> json) =>
        new(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));

    /// <summary>Whether <paramref name="json"/> is exactly one well-formed JSON object (whitespace around it allowed).</summary>
    /// <remarks>Throws <see cref="JsonException"/> for malformed input; callers catch it.</remarks>
    public static bool IsSingleObject(ReadOnlySpan<byte> json)
    {
        var reader = CreateReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        reader.Skip();
        return !reader.Read();
    }

    /// <summary>Moves from a property name to its value and returns the value's extent in the input.</summary>
    public static (int Start, int Length) ReadValueExtent(ref Utf8JsonReader reader)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return (start, (int)reader.BytesConsumed - start);
    }

    /// <summary>Reads a number 0..255 at the reader's value.</summary>
    public static bool TryReadByte(ref Utf8JsonReader reader, out byte value, out ProtocolError error)
    {
        reader.Read();
        value = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            error = ProtocolErrors.ByteFieldNotNumber;
            return false;
        }

        if (!reader.TryGetByte(out value))
        {
            error = ProtocolErrors.ByteFieldOutOfRange;
            return false;
        }

        error = default;
        return true;
    }
}
