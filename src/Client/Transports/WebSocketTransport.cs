using System.Net.WebSockets;
using AppMsg.Client.Internal;

namespace AppMsg.Client.Transports;

/// <summary>What the WebSocket transports share: the client socket, the receive buffer, closing.</summary>
internal abstract class WebSocketTransport : DeviceTransport
{
    /// <summary>How much room each receive asks for.</summary>
    protected const int ReceiveChunk = 4096;

    protected WebSocketTransport(ClientWebSocket socket)
    {
        Socket = socket;
        Received = new ReceiveBuffer(ReceiveChunk * 2);
    }

    protected ClientWebSocket Socket { get; }

    protected ReceiveBuffer Received { get; }

    /// <summary>Opens the socket and completes the handshake with the edge's <c>/ws</c>.</summary>
    protected static async Task<ClientWebSocket> OpenSocketAsync(DeviceClientOptions options, CancellationToken cancellationToken)
    {
        var uri = DeviceEndpoint.ParseWebSocket(options.Endpoint);
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = CertificatePin.Validator(options);
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The reason to report when the server sent a close message.</summary>
    protected string ClosedByServer() =>
        $"closed by the server ({(int?)Socket.CloseStatus} {Socket.CloseStatusDescription})".Replace(" )", ")", StringComparison.Ordinal);

    protected override async ValueTask CloseOutputCoreAsync(CancellationToken cancellationToken)
    {
        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void Abort() => Socket.Abort();

    protected override ValueTask DisposeCoreAsync()
    {
        Socket.Dispose();
        Received.Dispose();
        return ValueTask.CompletedTask;
    }
}
