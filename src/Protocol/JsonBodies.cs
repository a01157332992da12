using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace AppMsg.Protocol;

/// <summary>
/// Interprets the <c>data</c> object of a parsed text message (<see cref="JsonFrame.Data"/>) per message type,
/// and validates the JSON bodies of binary frames. Unknown fields are ignored; a repeated known field is an error.
/// </summary>
public static class JsonBodies
{
    /// <summary>
    /// Parses REGISTER data <c>{"version", "termType", "id", "token"}</c>: version and termType are required integers
    /// 0..255; id and token are strings of at most 32 printable ASCII characters, absent or null meaning empty.
    /// </summary>
    public static bool TryParseRegister(ReadOnlySpan<byte> data, [NotNullWhen(true)] out RegisterRequest? request, out ProtocolError error)
    {
        request = null;
        if (!Utf8.IsValid(data))
        {
            error = ProtocolErrors.NotUtf8;
            return false;
        }

        try
        {
            return TryParseRegisterObject(data, out request, out error);
        }
        catch (JsonException)
        {
            error = ProtocolErrors.MalformedJson;
            return false;
        }
    }

    /// <summary>
    /// Parses the code of response data <c>{"code", ...}</c> (PUSHRESP, KICKRESP, IMRESP, and on the terminal's
    /// side REGRESP, PONG, SYNCRESP): an integer 0..255. When <paramref name="codeRequired"/> is false (PONG, whose
    /// data may be <c>{}</c>) an absent code reads as 0.
    /// </summary>
    public static bool TryParseCode(ReadOnlySpan<byte> data, out byte code, out ProtocolError error, bool codeRequired = true)
    {
        code = 0;
        if (!Utf8.IsValid(data))
        {
            error = ProtocolErrors.NotUtf8;
            return false;
        }

        try
        {
            if (!TryReadObjectFields(data, "code"u8, default, out var codeExtent, out _, out error))
            {
                return false;
            }

            return TryGetCode(data, codeExtent, codeRequired, out code, out error);
        }
        catch (JsonException)
        {
            error = ProtocolErrors.MalformedJson;
            return false;
        }
    }

    /// <summary>
    /// Parses CBRESP data <c>{"code", "msg"}</c>. The answer handed back to the caller is the string's UTF-8 content
    /// when <c>msg</c> is a JSON string, the raw JSON text when it is any other value, and empty when absent or null,
    /// so a web terminal answering <c>"ok"</c> matches a binary one answering the bytes <c>ok</c>.
    /// </summary>
    public static bool TryParseCallbackResponse(
        ReadOnlyMemory<byte> data, out byte code, out ReadOnlyMemory<byte> answer, out ProtocolError error)
    {
        code = 0;
        answer = default;
        var json = data.Span;
        if (!Utf8.IsValid(json))
        {
            error = ProtocolErrors.NotUtf8;
            return false;
        }

        try
        {
            if (!TryReadObjectFields(json, "code"u8, "msg"u8, out var codeExtent, out var msgExtent, out error)
                || !TryGetCode(json, codeExtent, codeRequired: true, out code, out error))
            {
                return false;
            }

            answer = AnswerOf(data, msgExtent);
            return true;
        }
        catch (JsonException)
        {
            error = ProtocolErrors.MalformedJson;
            return false;
        }
    }

    /// <summary>Parses up IM data <c>{"msg": {...}}</c>; <paramref name="message"/> is the raw message object (section 4 of the protocol).</summary>
    public static bool TryParseImUp(ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> message, out ProtocolError error)
    {
        message = default;
        var json = data.Span;
        if (!Utf8.IsValid(json))
        {
            error = ProtocolErrors.NotUtf8;
            return false;
        }

        try
        {
            if (!TryReadObjectFields(json, "msg"u8, default, out var msgExtent, out _, out error))
            {
                return false;
            }

            if (msgExtent.Length == 0)
            {
                error = ProtocolErrors.MissingMsg;
                return false;
            }

            if (json[msgExtent.Start] != (byte)'{')
            {
                error = ProtocolErrors.MsgNotObject;
                return false;
            }

            message = data.Slice(msgExtent.Start, msgExtent.Length);
            return true;
        }
        catch (JsonException)
        {
            error = ProtocolErrors.MalformedJson;
            return false;
        }
    }

    /// <summary>
    /// Checks that <paramref name="json"/> is one well-formed UTF-8 JSON object, as the binary up IM body (and
    /// the JSON after a REGRESP, IMRESP or SYNCRESP code) must be.
    /// </summary>
    public static bool TryValidateObject(ReadOnlySpan<byte> json, out ProtocolError error)
    {
        if (!Utf8.IsValid(json))
        {
            error = ProtocolErrors.NotUtf8;
            return false;
        }

        try
        {
            error = JsonInput.IsSingleObject(json) ? default : ProtocolErrors.NotAnObject;
        }
        catch (JsonException)
        {
            error = ProtocolErrors.MalformedJson;
        }

        return !error.IsError;
    }

    internal static bool IsValidRegisterField(string value) =>
        value.Length <= ProtocolLimits.RegisterFieldLength && AsciiField.IsPrintable(value);

    private static bool TryParseRegisterObject(ReadOnlySpan<byte> data, out RegisterRequest? request, out ProtocolError error)
    {
        request = null;
        var reader = JsonInput.CreateReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        byte? version = null;
        byte? terminalType = null;
        string? id = null;
        string? token = null;
        string? deviceId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool ok;
            if (reader.ValueTextEquals("version"u8))
            {
                ok = version is null ? JsonInput.TryReadByte(ref reader, out var value, out error) : Duplicate(out value, out error);
                version = value;
            }
            else if (reader.ValueTextEquals("termType"u8))
            {
                ok = terminalType is null ? JsonInput.TryReadByte(ref reader, out var value, out error) : Duplicate(out value, out error);
                terminalType = value;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                ok = id is null ? TryReadRegisterField(ref reader, ProtocolErrors.IdTooLong, out id, out error) : Duplicate(out id, out error);
            }
            else if (reader.ValueTextEquals("token"u8))
            {
                ok = token is null ? TryReadRegisterField(ref reader, ProtocolErrors.TokenTooLong, out token, out error) : Duplicate(out token, out error);
            }
            else if (reader.ValueTextEquals("deviceId"u8))
            {
                ok = deviceId is null ? TryReadRegisterField(ref reader, ProtocolErrors.DeviceIdTooLong, out deviceId, out error) : Duplicate(out deviceId, out error);
            }
            else
            {
                reader.Read();
                reader.Skip();
                ok = true;
                error = default;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (reader.Read())
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        if (version is null)
        {
            error = ProtocolErrors.MissingVersion;
            return false;
        }

        if (terminalType is null)
        {
            error = ProtocolErrors.MissingTermType;
            return false;
        }

        error = default;
        request = new RegisterRequest(version.Value, (TerminalType)terminalType.Value, id ?? string.Empty, token ?? string.Empty, deviceId ?? string.Empty);
        return true;
    }

    private static bool Duplicate<T>(out T? value, out ProtocolError error)
    {
        value = default;
        error = ProtocolErrors.DuplicateField;
        return false;
    }

    private static bool TryReadRegisterField(ref Utf8JsonReader reader, ProtocolError invalid, out string? value, out ProtocolError error)
    {
        reader.Read();
        value = null;
        error = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                // Read as empty, and remembered as seen so a repeat is still caught.
                value = string.Empty;
                return true;
            case JsonTokenType.String:
                value = reader.GetString()!;
                if (!IsValidRegisterField(value))
                {
                    error = invalid;
                    return false;
                }

                return true;
            default:
                error = ProtocolErrors.IdNotString;
                return false;
        }
    }

    /// <summary>
    /// Walks one object's top-level fields and returns where the values of up to two named fields lie;
    /// a zero length means absent. A repeated named field is an error; others are skipped.
    /// </summary>
    private static bool TryReadObjectFields(
        ReadOnlySpan<byte> json,
        ReadOnlySpan<byte> firstName,
        ReadOnlySpan<byte> secondName,
        out (int Start, int Length) first,
        out (int Start, int Length) second,
        out ProtocolError error)
    {
        first = default;
        second = default;
        var reader = JsonInput.CreateReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isFirst = reader.ValueTextEquals(firstName);
            var isSecond = !isFirst && !secondName.IsEmpty && reader.ValueTextEquals(secondName);
            var extent = JsonInput.ReadValueExtent(ref reader);
            if ((isFirst && first.Length != 0) || (isSecond && second.Length != 0))
            {
                error = ProtocolErrors.DuplicateField;
                return false;
            }

            if (isFirst)
            {
                first = extent;
            }
            else if (isSecond)
            {
                second = extent;
            }
        }

        if (reader.Read())
        {
            error = ProtocolErrors.NotAnObject;
            return false;
        }

        error = default;
        return true;
    }

    private static bool TryGetCode(ReadOnlySpan<byte> json, (int Start, int Length) extent, bool codeRequired, out byte code, out ProtocolError error)
    {
        code = 0;
        if (extent.Length == 0)
        {
            error = codeRequired ? ProtocolErrors.MissingCode : default;
            return !codeRequired;
        }

        var reader = JsonInput.CreateReader(json.Slice(extent.Start, extent.Length));
        return JsonInput.TryReadByte(ref reader, out code, out error);
    }

    private static ReadOnlyMemory<byte> AnswerOf(ReadOnlyMemory<byte> data, (int Start, int Length) extent)
    {
        if (extent.Length == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var value = data.Slice(extent.Start, extent.Length);
        var reader = JsonInput.CreateReader(value.Span);
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return ReadOnlyMemory<byte>.Empty;
            case JsonTokenType.String when !reader.ValueIsEscaped:
                // The content between the quotes, without copying.
                return value[1..^1];
            case JsonTokenType.String:
                var unescaped = new byte[reader.ValueSpan.Length];
                return unescaped.AsMemory(0, reader.CopyString(unescaped));
            default:
                return value;
        }
    }
}
