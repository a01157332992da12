using System.Buffers;
using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>The terminal's side of the binary frames: writing what it sends, reading what the server sends.</summary>
internal static class BinaryFormat
{
    /// <summary>Writes <paramref name="message"/> as one frame in <paramref name="encoding"/>.</summary>
    public static void Write(IBufferWriter<byte> output, in OutboundMessage message, BodyEncoding encoding)
    {
        switch (message.Type)
        {
            case MessageType.Register:
                FrameWriter.WriteRegister(output, encoding, message.Tid, message.Register!);
                break;
            case MessageType.Ping:
                FrameWriter.WritePing(output, encoding, message.Tid);
                break;
            case MessageType.Im:
                FrameWriter.WriteImUp(output, encoding, message.Tid, message.Payload.Span);
                break;
            case MessageType.Sync:
                FrameWriter.WriteSync(output, encoding, message.Tid, message.Payload.Span);
                break;
            default:
                FrameWriter.WriteCodeResponse(output, message.Type, encoding, message.Tid, message.Code, message.Payload.Span);
                break;
        }
    }

    /// <summary>Interprets the decoded body of a frame from the server.</summary>
    /// <param name="type">The frame's type.</param>
    /// <param name="tid">The frame's TID.</param>
    /// <param name="body">The decoded body.</param>
    /// <param name="message">The message, whose payload is a slice of <paramref name="body"/>.</param>
    /// <param name="error">Why the frame is not acceptable from a server.</param>
    public static bool TryParse(MessageType type, uint tid, ReadOnlyMemory<byte> body, out InboundMessage message, out ProtocolError error)
    {
        message = default;
        switch (type)
        {
            case MessageType.Push:
                if (!PushBody.TryParse(body.Span, out var offline, out var flag, out _, out error))
                {
                    return false;
                }

                message = new InboundMessage(type, tid, flag, offline, body[PushBody.PrefixLength..]);
                return true;
            case MessageType.Callback:
                error = default;
                message = new InboundMessage(type, tid, 0, 0, body);
                return true;
            case MessageType.Pong when body.IsEmpty:
                // A PONG without a code (as some servers send) reads as code 0.
                error = default;
                message = new InboundMessage(type, tid, 0, 0, default);
                return true;
            case MessageType.RegResp or MessageType.Pong or MessageType.Im or MessageType.ImResp
                or MessageType.Kick or MessageType.SyncResp:
                if (!CodeBody.TryParse(body.Span, out var code, out _, out error))
                {
                    return false;
                }

                message = new InboundMessage(type, tid, code, 0, body[1..]);
                return true;
            default:
                error = ClientProtocolErrors.NotDownType;
                return false;
        }
    }
}
