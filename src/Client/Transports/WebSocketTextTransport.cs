using System.Buffers;
using System.Net.WebSockets;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Transports;

/// <summary>
/// The JSON text form in WebSocket text messages, plain or in galopush's web framing (base64 of the ring-XOR'd
/// JSON). Received messages are accepted in either framing.
/// </summary>
internal sealed class WebSocketTextTransport : WebSocketTransport
{
    private readonly ArrayBufferWriter<byte> json = new(256);
    private readonly ArrayBufferWriter<byte> wrapped = new(256);
    private readonly ArrayBufferWriter<byte> scratch = new(64);
    private readonly bool galopush;
    private readonly int maxTextLength;

    private WebSocketTextTransport(ClientWebSocket socket, DeviceClientOptions options)
        : base(socket)
    {
        galopush = options.Transport == DeviceTransportKind.WebSocketGalopush;
        maxTextLength = options.MaxTextMessageLength;
    }

    public static async Task<WebSocketTextTransport> ConnectAsync(DeviceClientOptions options, CancellationToken cancellationToken) =>
        new(await OpenSocketAsync(options, cancellationToken).ConfigureAwait(false), options);

    public override async Task<string> ReceiveAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            Received.Clear();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await Socket.ReceiveAsync(Received.GetMemory(ReceiveChunk), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return ClosedByServer();
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    return BinaryReceiver.ProtocolErrorReason(ClientProtocolErrors.WrongMessageKind);
                }

                Received.Advance(result.Count);
                if (Received.Length > maxTextLength)
                {
                    return BinaryReceiver.ProtocolErrorReason(ClientProtocolErrors.TextTooLarge);
                }
            }
            while (!result.EndOfMessage);

            if (!TryParse(Received.Data, out var message, out var error))
            {
                return BinaryReceiver.ProtocolErrorReason(error);
            }

            if (!await sink.OnMessageAsync(message).ConfigureAwait(false))
            {
                return "stopped";
            }
        }
    }

    protected override async ValueTask SendCoreAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        json.ResetWrittenCount();
        JsonFormat.Write(json, message, scratch);
        var text = json.WrittenMemory;
        if (galopush)
        {
            wrapped.ResetWrittenCount();
            GalopushWebFraming.Wrap(json.WrittenSpan, wrapped);
            text = wrapped.WrittenMemory;
        }

        await Socket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unwraps galopush framing in place when present, then reads the JSON text form.</summary>
    private bool TryParse(Memory<byte> text, out InboundMessage message, out ProtocolError error)
    {
        message = default;
        if (GalopushWebFraming.IsWrapped(text.Span))
        {
            if (!GalopushWebFraming.TryUnwrapInPlace(text.Span, out var length, out error))
            {
                return false;
            }

            text = text[..length];
        }

        return JsonFrameCodec.TryParse(text, maxTextLength, out var frame, out error)
            && JsonFormat.TryParse(frame, out message, out error);
    }
}
