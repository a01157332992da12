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
    private readonly ArrayBufferWriter<byte> _json = new(256);
    private readonly ArrayBufferWriter<byte> _wrapped = new(256);
    private readonly ArrayBufferWriter<byte> _scratch = new(64);
    private readonly bool _galopush;
    private readonly int _maxTextLength;

    private WebSocketTextTransport(ClientWebSocket socket, DeviceClientOptions options)
        : base(socket)
    {
        _galopush = options.Transport == DeviceTransportKind.WebSocketGalopush;
        _maxTextLength = options.MaxTextMessageLength;
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
                if (Received.Length > _maxTextLength)
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
        _json.ResetWrittenCount();
        JsonFormat.Write(_json, message, _scratch);
        var text = _json.WrittenMemory;
        if (_galopush)
        {
            _wrapped.ResetWrittenCount();
            GalopushWebFraming.Wrap(_json.WrittenSpan, _wrapped);
            text = _wrapped.WrittenMemory;
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

        return JsonFrameCodec.TryParse(text, _maxTextLength, out var frame, out error)
            && JsonFormat.TryParse(frame, out message, out error);
    }
}
