using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace AppMsg.Protocol;

/// <summary>
/// The WebSocket text form of the protocol: <c>{"cmd": type, "tid": n, "data": {...}}</c>.
/// Parsing never throws on bad input; writing trusts its arguments and throws on invalid ones.
/// </summary>
public static partial class JsonFrameCodec
{
    /// <summary>
    /// Parses a text message. Unknown top-level fields are ignored; <c>cmd</c> and <c>tid</c> are required,
    /// <c>data</c> may be absent or null (read as <c>{}</c>); a repeated <c>cmd</c>, <c>tid</c> or <c>data</c> is an error.
    /// </summary>
    /// <param name="utf8Text">The message as received (UTF-8).</param>
    /// <param name="maxMessageLength">The largest message accepted, in bytes.</param>
    /// <param name="frame">The parsed message; its <see cref="JsonFrame.Data"/> is a slice of <paramref name="utf8Text"/>.</param>
    /// <param name="error">The violation when the result is false.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMessageLength"/> is negative.</exception>
    public static bool TryParse(ReadOnlyMemory<byte> utf8Text, int maxMessageLength, out JsonFrame frame, out ProtocolError error)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageLength);
        frame = default;
        if (utf8Text.Length > maxMessageLength)
        {
            error = ProtocolErrors.MessageTooLarge;
            return false;
        }

        var text = utf8Text.Span;
        if (!Utf8.IsValid(text))
        {
            error = ProtocolErrors.NotUtf8;
            return false;
        }

        try
        {
            return TryParseObject(utf8Text, out frame, out error);
        }
        catch (JsonException)
        {
            error = ProtocolErrors.MalformedJson;
            return false;
        }
    }

    private static bool TryParseObject(ReadOnlyMemory<byte> utf8Text, out JsonFrame frame, out ProtocolError error)
    {
        frame = default;
        var reader = JsonInput.CreateReader(utf8Text.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        int? cmd = null;
        uint? tid = null;
        ReadOnlyMemory<byte>? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cmd"u8))
            {
                if (cmd is not null)
                {
                    error = ProtocolErrors.DuplicateField;
                    return false;
                }

                if (!TryReadCmd(ref reader, out var value, out error))
                {
                    return false;
                }

                cmd = value;
            }
            else if (reader.ValueTextEquals("tid"u8))
            {
                if (tid is not null)
                {
                    error = ProtocolErrors.DuplicateField;
                    return false;
                }

                if (!TryReadTid(ref reader, out var value, out error))
                {
                    return false;
                }

                tid = value;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                if (data is not null)
                {
                    error = ProtocolErrors.DuplicateField;
                    return false;
                }

                if (!TryReadData(ref reader, utf8Text, out var value, out error))
                {
                    return false;
                }

                data = value;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the object (other than whitespace) makes Read throw, which reports malformed JSON.
        if (reader.Read())
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        if (cmd is not { } type)
        {
            error = ProtocolErrors.MissingCmd;
            return false;
        }

        if (!MessageTypes.IsKnown(type))
        {
            error = ProtocolErrors.UnknownType;
            return false;
        }

        if (tid is not { } id)
        {
            error = ProtocolErrors.MissingTid;
            return false;
        }

        error = default;
        frame = new JsonFrame((MessageType)type, id, data ?? JsonInput.EmptyObject);
        return true;
    }

    private static bool TryReadCmd(ref Utf8JsonReader reader, out int cmd, out ProtocolError error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
        {
            cmd = 0;
            error = ProtocolErrors.CmdNotNumber;
            return false;
        }

        // A number that is not a small integer cannot be a known type; the caller reports it as unknown.
        cmd = reader.TryGetInt32(out var value) ? value : -1;
        error = default;
        return true;
    }

    private static bool TryReadTid(ref Utf8JsonReader reader, out uint tid, out ProtocolError error)
    {
        reader.Read();
        tid = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            error = ProtocolErrors.TidNotNumber;
            return false;
        }

        if (!reader.TryGetUInt32(out tid))
        {
            error = ProtocolErrors.TidOutOfRange;
            return false;
        }

        error = default;
        return true;
    }

    private static bool TryReadData(
        ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8Text, out ReadOnlyMemory<byte> data, out ProtocolError error)
    {
        reader.Read();
        data = JsonInput.EmptyObject;
        error = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartObject:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = utf8Text[start..(int)reader.BytesConsumed];
                return true;
            default:
                error = ProtocolErrors.DataNotObject;
                return false;
        }
    }
}
