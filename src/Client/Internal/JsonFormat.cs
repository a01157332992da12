using System.Buffers;
using System.Text.Json;
using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>The terminal's side of the WebSocket text form <c>{"cmd","tid","data"}</c>.</summary>
internal static class JsonFormat
{
    /// <summary>Writes <paramref name="message"/> as one JSON text message.</summary>
    /// <param name="output">Receives the text.</param>
    /// <param name="message">The message.</param>
    /// <param name="scratch">A buffer for the CBRESP answer as a JSON string.</param>
    public static void Write(IBufferWriter<byte> output, in OutboundMessage message, ArrayBufferWriter<byte> scratch)
    {
        switch (message.Type)
        {
            case MessageType.Register:
                JsonFrameCodec.WriteRegister(output, message.Tid, message.Register!);
                break;
            case MessageType.Ping:
                JsonFrameCodec.WritePing(output, message.Tid);
                break;
            case MessageType.Im:
                JsonFrameCodec.WriteImUp(output, message.Tid, message.Payload.Span);
                break;
            case MessageType.Sync:
                JsonFrameCodec.WriteSync(output, message.Tid, message.Payload.Span);
                break;
            case MessageType.CbResp:
                JsonFrameCodec.WriteCallbackResponse(output, message.Tid, message.Code, AnswerAsJson(message.Payload.Span, scratch));
                break;
            default:
                JsonFrameCodec.WriteResponse(output, message.Type, message.Tid, message.Code);
                break;
        }
    }

    /// <summary>Interprets a parsed text message from the server.</summary>
    /// <param name="frame">The parsed message.</param>
    /// <param name="message">The message; its payload is a slice of the frame's data.</param>
    /// <param name="error">Why the message is not acceptable from a server.</param>
    public static bool TryParse(in JsonFrame frame, out InboundMessage message, out ProtocolError error)
    {
        message = default;
        var type = frame.Type;
        var data = frame.Data;
        switch (type)
        {
            case MessageType.RegResp or MessageType.ImResp or MessageType.SyncResp or MessageType.Pong:
                if (!JsonBodies.TryParseCode(data.Span, out var code, out error, codeRequired: type != MessageType.Pong))
                {
                    return false;
                }

                message = new InboundMessage(type, frame.Tid, code, 0, type == MessageType.Pong ? default : data);
                return true;
            case MessageType.Push or MessageType.Im or MessageType.Callback or MessageType.Kick:
                if (!DownData.TryRead(data, type, out var fields, out error))
                {
                    return false;
                }

                var leading = type == MessageType.Kick ? fields.Reason : fields.Flag;
                message = new InboundMessage(type, frame.Tid, leading, fields.Offline, fields.Msg);
                return true;
            default:
                error = ClientProtocolErrors.NotDownType;
                return false;
        }
    }

    /// <summary>
    /// The CBRESP answer as a JSON string, which the server hands back as its UTF-8 content: the same bytes a binary
    /// terminal would send. Empty stays empty (no answer).
    /// </summary>
    /// <exception cref="ArgumentException">The answer is not valid UTF-8 (the text form cannot carry it).</exception>
    private static ReadOnlySpan<byte> AnswerAsJson(ReadOnlySpan<byte> answer, ArrayBufferWriter<byte> scratch)
    {
        if (answer.IsEmpty)
        {
            return default;
        }

        scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(scratch))
        {
            writer.WriteStringValue(answer);
        }

        return scratch.WrittenSpan;
    }
}
