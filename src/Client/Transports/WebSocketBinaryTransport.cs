using System.Buffers;
using System.Net.WebSockets;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Transports;

/// <summary>
/// Binary frames in WebSocket binary messages: one frame per message sent; received messages are read as one
/// byte stream, so frames split over messages or several in one are fine.
/// </summary>
internal sealed class WebSocketBinaryTransport : WebSocketTransport
{
    private readonly ArrayBufferWriter<byte> frame = new(256);
    private readonly BodyEncoding encoding;
    private readonly BinaryReceiver receiver;

    private WebSocketBinaryTransport(ClientWebSocket socket, DeviceClientOptions options)
        : base(socket)
    {
        encoding = options.BodyEncoding;
        receiver = new BinaryReceiver(options.MaxBodyLength);
    }

    public static async Task<WebSocketBinaryTransport> ConnectAsync(DeviceClientOptions options, CancellationToken cancellationToken) =>
        new(await OpenSocketAsync(options, cancellationToken).ConfigureAwait(false), options);

    public override async Task<string> ReceiveAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Socket.ReceiveAsync(Received.GetMemory(ReceiveChunk), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ClosedByServer();
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                return BinaryReceiver.ProtocolErrorReason(ClientProtocolErrors.WrongMessageKind);
            }

            Received.Advance(result.Count);
            var buffer = new ReadOnlySequence<byte>(Received.Data);
            var (consumed, stop) = await receiver.DrainAsync(buffer, sink).ConfigureAwait(false);
            await FlushAcknowledgementsAsync(cancellationToken).ConfigureAwait(false);
            if (stop is not null)
            {
                return stop;
            }

            Received.Consume((int)buffer.Slice(buffer.Start, consumed).Length);
        }
    }

    // The edge reads binary messages as one byte stream, so queued frames and the next one can share a message.
    protected override async ValueTask SendCoreAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        BinaryFormat.Write(frame, message, encoding);
        await SendQueuedCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryQueueCore(OutboundMessage message)
    {
        BinaryFormat.Write(frame, message, encoding);
        return true;
    }

    protected override async ValueTask SendQueuedCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            frame.ResetWrittenCount();
        }
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        await base.DisposeCoreAsync().ConfigureAwait(false);
        receiver.Dispose();
    }
}
