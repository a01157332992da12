using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Transports;

/// <summary>Binary frames over TCP, or over TLS on TCP (<c>tls://</c>), read and written through System.IO.Pipelines.</summary>
internal sealed class TcpTransport : DeviceTransport
{
    private readonly Socket socket;
    private readonly Stream stream;
    private readonly PipeReader reader;
    private readonly PipeWriter writer;
    private readonly BodyEncoding encoding;
    private readonly BinaryReceiver receiver;

    private TcpTransport(Socket socket, Stream stream, DeviceClientOptions options)
    {
        this.socket = socket;
        this.stream = stream;
        reader = PipeReader.Create(this.stream, new StreamPipeReaderOptions(leaveOpen: true));
        writer = PipeWriter.Create(this.stream, new StreamPipeWriterOptions(leaveOpen: true));
        encoding = options.BodyEncoding;
        receiver = new BinaryReceiver(options.MaxBodyLength);
    }

    public static async Task<TcpTransport> ConnectAsync(DeviceClientOptions options, CancellationToken cancellationToken)
    {
        var (host, port, tls) = DeviceEndpoint.ParseTcp(options.Endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls)
            {
                var secure = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secure;
                await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = CertificatePin.Validator(options),
                }, cancellationToken).ConfigureAwait(false);
            }

            return new TcpTransport(socket, stream, options);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    public override async Task<string> ReceiveAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (consumed, stop) = await receiver.DrainAsync(buffer, sink).ConfigureAwait(false);
            var partial = !buffer.Slice(consumed).IsEmpty;
            reader.AdvanceTo(consumed, buffer.End);
            await FlushAcknowledgementsAsync(cancellationToken).ConfigureAwait(false);
            if (stop is not null)
            {
                return stop;
            }

            if (result.IsCompleted)
            {
                return partial ? "closed by the server in the middle of a frame" : "closed by the server";
            }

            if (result.IsCanceled)
            {
                return "closed";
            }
        }
    }

    protected override async ValueTask SendCoreAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        BinaryFormat.Write(writer, message, encoding);
        var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }

    protected override bool TryQueueCore(OutboundMessage message)
    {
        BinaryFormat.Write(writer, message, encoding);
        return true;
    }

    protected override async ValueTask SendQueuedCoreAsync(CancellationToken cancellationToken)
    {
        var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }

    protected override async ValueTask CloseOutputCoreAsync(CancellationToken cancellationToken)
    {
        if (stream is SslStream secure)
        {
            // close_notify first, so that the server reads a clean end of the TLS stream.
            await secure.ShutdownAsync().ConfigureAwait(false);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    protected override void Abort() => socket.Close();

    protected override async ValueTask DisposeCoreAsync()
    {
        await reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Whatever was still buffered cannot go out on a closed socket.
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        receiver.Dispose();
    }
}
