using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace AppMsg.Protocol;

/// <summary>Writing the text form.</summary>
public static partial class JsonFrameCodec
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>
    /// Writes a response <c>{"code": code, ...}</c> whose data is the code followed by the fields of
    /// <paramref name="extraJson"/> (a JSON object, or empty for none; a <c>code</c> field in it is dropped).
    /// Serves REGRESP, PONG, IMRESP, SYNCRESP, and on the terminal's side PUSHRESP, KICKRESP and IMRESP.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="extraJson"/> is not empty and not one JSON object.</exception>
    public static void WriteResponse(
        IBufferWriter<byte> output, MessageType type, uint tid, byte code, ReadOnlySpan<byte> extraJson = default)
    {
        RequireObjectOrEmpty(extraJson, nameof(extraJson));
        var writer = Begin(output, type, tid);
        writer.WriteNumber("code"u8, code);
        if (!extraJson.IsEmpty)
        {
            WriteFieldsOf(writer, extraJson, except: "code"u8);
        }

        End(writer);
    }

    /// <summary>Writes a REGRESP <c>{"code", ...}</c>; on success the extra JSON carries <c>sessionId</c>, <c>heartbeat</c>, <c>serverTime</c>.</summary>
    public static void WriteRegisterResponse(
        IBufferWriter<byte> output, uint tid, RegisterResultCode code, ReadOnlySpan<byte> extraJson = default) =>
        WriteResponse(output, MessageType.RegResp, tid, (byte)code, extraJson);

    /// <summary>Writes a PONG <c>{"code"}</c> (a terminal that expects <c>{}</c> ignores the field).</summary>
    public static void WritePong(IBufferWriter<byte> output, uint tid, PongCode code) =>
        WriteResponse(output, MessageType.Pong, tid, (byte)code);

    /// <summary>Writes an IMRESP <c>{"code", ...}</c>; on success the extra JSON is <c>{"id","timeline","seq"}</c>.</summary>
    public static void WriteImResponse(
        IBufferWriter<byte> output, uint tid, ImResultCode code, ReadOnlySpan<byte> extraJson = default) =>
        WriteResponse(output, MessageType.ImResp, tid, (byte)code, extraJson);

    /// <summary>Writes a SYNCRESP <c>{"code", "complete", ...}</c>.</summary>
    public static void WriteSyncResponse(IBufferWriter<byte> output, uint tid, SyncResultCode code, ReadOnlySpan<byte> extraJson) =>
        WriteResponse(output, MessageType.SyncResp, tid, (byte)code, extraJson);

    /// <summary>Writes a PUSH <c>{"offline", "flag", "msg"}</c>, embedding the envelope object as is.</summary>
    /// <exception cref="ArgumentException"><paramref name="envelope"/> is not one JSON object.</exception>
    public static void WritePush(IBufferWriter<byte> output, uint tid, ushort offline, byte flag, ReadOnlySpan<byte> envelope)
    {
        RequireObject(envelope, nameof(envelope));
        var writer = Begin(output, MessageType.Push, tid);
        writer.WriteNumber("offline"u8, offline);
        writer.WriteNumber("flag"u8, flag);
        writer.WritePropertyName("msg"u8);
        writer.WriteRawValue(envelope, skipInputValidation: true);
        End(writer);
    }

    /// <summary>Writes a down IM <c>{"flag", "msg"}</c>, embedding the envelope object as is.</summary>
    /// <exception cref="ArgumentException"><paramref name="envelope"/> is not one JSON object.</exception>
    public static void WriteImDown(IBufferWriter<byte> output, uint tid, byte flag, ReadOnlySpan<byte> envelope)
    {
        RequireObject(envelope, nameof(envelope));
        var writer = Begin(output, MessageType.Im, tid);
        writer.WriteNumber("flag"u8, flag);
        writer.WritePropertyName("msg"u8);
        writer.WriteRawValue(envelope, skipInputValidation: true);
        End(writer);
    }

    /// <summary>Writes a CALLBACK <c>{"msg"}</c>, embedding the payload object (<c>{"id","payload"}</c>) as is.</summary>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is not one JSON object.</exception>
    public static void WriteCallback(IBufferWriter<byte> output, uint tid, ReadOnlySpan<byte> payload) =>
        WriteMessage(output, MessageType.Callback, tid, payload);

    /// <summary>Writes a KICK <c>{"reason"}</c>.</summary>
    public static void WriteKick(IBufferWriter<byte> output, uint tid, KickReason reason)
    {
        var writer = Begin(output, MessageType.Kick, tid);
        writer.WriteNumber("reason"u8, (byte)reason);
        End(writer);
    }

    /// <summary>Writes a REGISTER <c>{"version", "termType", "id", "token"}</c>, and <c>"deviceId"</c> when set (the terminal's side).</summary>
    /// <exception cref="ArgumentException">The id, token or device id is longer than 32 characters or not printable ASCII.</exception>
    public static void WriteRegister(IBufferWriter<byte> output, uint tid, RegisterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!JsonBodies.IsValidRegisterField(request.Id) || !JsonBodies.IsValidRegisterField(request.Token) || !JsonBodies.IsValidRegisterField(request.DeviceId))
        {
            throw new ArgumentException("The id and token must be printable ASCII of at most 32 characters.", nameof(request));
        }

        var writer = Begin(output, MessageType.Register, tid);
        writer.WriteNumber("version"u8, request.Version);
        writer.WriteNumber("termType"u8, (byte)request.TerminalType);
        writer.WriteString("id"u8, request.Id);
        writer.WriteString("token"u8, request.Token);
        if (request.DeviceId.Length != 0)
        {
            writer.WriteString("deviceId"u8, request.DeviceId);
        }

        End(writer);
    }

    /// <summary>Writes a PING <c>{}</c> (the terminal's side).</summary>
    public static void WritePing(IBufferWriter<byte> output, uint tid) => End(Begin(output, MessageType.Ping, tid));

    /// <summary>Writes a CBRESP <c>{"code", "msg"}</c> (the terminal's side); <paramref name="answerJson"/> is one JSON value, or empty for none.</summary>
    /// <exception cref="ArgumentException"><paramref name="answerJson"/> is not empty and not one JSON value.</exception>
    public static void WriteCallbackResponse(IBufferWriter<byte> output, uint tid, byte code, ReadOnlySpan<byte> answerJson = default)
    {
        if (!answerJson.IsEmpty && !IsSingleValue(answerJson))
        {
            throw new ArgumentException("The answer must be one JSON value.", nameof(answerJson));
        }

        var writer = Begin(output, MessageType.CbResp, tid);
        writer.WriteNumber("code"u8, code);
        if (!answerJson.IsEmpty)
        {
            writer.WritePropertyName("msg"u8);
            writer.WriteRawValue(answerJson, skipInputValidation: true);
        }

        End(writer);
    }

    /// <summary>Writes an up IM <c>{"msg"}</c> (the terminal's side), embedding the message object as is.</summary>
    /// <exception cref="ArgumentException"><paramref name="message"/> is not one JSON object.</exception>
    public static void WriteImUp(IBufferWriter<byte> output, uint tid, ReadOnlySpan<byte> message) =>
        WriteMessage(output, MessageType.Im, tid, message);

    /// <summary>Writes a SYNC (the terminal's side) whose data is <paramref name="syncJson"/>, <c>{"cursors": {...}}</c> or <c>{}</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="syncJson"/> is not one JSON object.</exception>
    public static void WriteSync(IBufferWriter<byte> output, uint tid, ReadOnlySpan<byte> syncJson)
    {
        RequireObject(syncJson, nameof(syncJson));
        var writer = Begin(output, MessageType.Sync, tid, openData: false);
        writer.WriteRawValue(syncJson, skipInputValidation: true);
        writer.WriteEndObject();
        Flush(writer);
    }

    private static void WriteMessage(IBufferWriter<byte> output, MessageType type, uint tid, ReadOnlySpan<byte> message)
    {
        RequireObject(message, nameof(message));
        var writer = Begin(output, type, tid);
        writer.WritePropertyName("msg"u8);
        writer.WriteRawValue(message, skipInputValidation: true);
        End(writer);
    }

    /// <summary>Starts <c>{"cmd":..,"tid":..,"data":</c> and, unless told not to, the data object.</summary>
    private static Utf8JsonWriter Begin(IBufferWriter<byte> output, MessageType type, uint tid, bool openData = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = JsonFrameCodec.writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
            JsonFrameCodec.writer = writer;
        }
        else
        {
            writer.Reset(output);
        }

        writer.WriteStartObject();
        writer.WriteNumber("cmd"u8, (byte)type);
        writer.WriteNumber("tid"u8, tid);
        writer.WritePropertyName("data"u8);
        if (openData)
        {
            writer.WriteStartObject();
        }

        return writer;
    }

    private static void End(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        Flush(writer);
    }

    private static void Flush(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(DetachedBufferWriter.Instance);
    }

    /// <summary>Copies the top-level fields of a validated JSON object, except one name.</summary>
    private static void WriteFieldsOf(Utf8JsonWriter writer, ReadOnlySpan<byte> json, ReadOnlySpan<byte> except)
    {
        var reader = JsonInput.CreateReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var skip = reader.ValueTextEquals(except);
            var name = reader.ValueSpan;
            if (reader.ValueIsEscaped && !skip)
            {
                var unescaped = new byte[name.Length];
                name = unescaped.AsSpan(0, reader.CopyString(unescaped));
            }

            var (start, length) = JsonInput.ReadValueExtent(ref reader);
            if (!skip)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(json.Slice(start, length), skipInputValidation: true);
            }
        }
    }

    private static void RequireObject(ReadOnlySpan<byte> json, string paramName)
    {
        if (!IsSingleObject(json))
        {
            throw new ArgumentException("Must be one JSON object.", paramName);
        }
    }

    private static void RequireObjectOrEmpty(ReadOnlySpan<byte> json, string paramName)
    {
        if (!json.IsEmpty)
        {
            RequireObject(json, paramName);
        }
    }

    private static bool IsSingleObject(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        try
        {
            return JsonInput.IsSingleObject(json);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsSingleValue(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        try
        {
            var reader = JsonInput.CreateReader(json);
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
