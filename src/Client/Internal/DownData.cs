using System.Text.Json;
using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>
/// The <c>data</c> of a PUSH <c>{"offline","flag","msg"}</c>, down IM <c>{"flag","msg"}</c>, CALLBACK <c>{"msg"}</c>
/// or KICK <c>{"reason"}</c> in the text form. Numbers absent read as 0 (but a KICK needs its reason); <c>msg</c> is
/// required where the type carries one and must be an object. Reads without allocating.
/// </summary>
internal readonly record struct DownData(ushort Offline, byte Flag, byte Reason, ReadOnlyMemory<byte> Msg)
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = ProtocolLimits.MaxJsonDepth };

    public static bool TryRead(ReadOnlyMemory<byte> data, MessageType type, out DownData fields, out ProtocolError error)
    {
        fields = default;
        try
        {
            return TryReadObject(data, type, out fields, out error);
        }
        catch (JsonException)
        {
            error = ClientProtocolErrors.MalformedJson;
            return false;
        }
    }

    private static bool TryReadObject(ReadOnlyMemory<byte> data, MessageType type, out DownData fields, out ProtocolError error)
    {
        fields = default;
        error = ClientProtocolErrors.MalformedJson;
        var reader = new Utf8JsonReader(data.Span, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        uint offline = 0, flag = 0;
        uint? reason = null;
        var msg = ReadOnlyMemory<byte>.Empty;
        var seen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("offline"u8))
            {
                if (!TryReadNumber(ref reader, ushort.MaxValue, out offline, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("flag"u8))
            {
                if (!TryReadNumber(ref reader, byte.MaxValue, out flag, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                if (!TryReadNumber(ref reader, byte.MaxValue, out var value, out error))
                {
                    return false;
                }

                reason = value;
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    error = ClientProtocolErrors.MsgNotObject;
                    return false;
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                msg = data[start..(int)reader.BytesConsumed];
                seen = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type == MessageType.Kick && reason is null)
        {
            error = ClientProtocolErrors.MissingReason;
            return false;
        }

        if (type != MessageType.Kick && !seen)
        {
            error = ClientProtocolErrors.MissingMsg;
            return false;
        }

        error = default;
        fields = new DownData((ushort)offline, (byte)flag, (byte)(reason ?? 0), msg);
        return true;
    }

    private static bool TryReadNumber(ref Utf8JsonReader reader, uint max, out uint value, out ProtocolError error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt32(out value) || value > max)
        {
            value = 0;
            error = ClientProtocolErrors.BadNumber;
            return false;
        }

        error = default;
        return true;
    }
}
