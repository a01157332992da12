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
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly BodyEncoding _encoding;
    private readonly BinaryReceiver _receiver;

    private TcpTransport(Socket socket, Stream stream, DeviceClientOptions options)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _encoding = options.BodyEncoding;
        _receiver = new BinaryReceiver(options.MaxBodyLength);
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
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var (consumed, stop) = await _receiver.DrainAsync(buffer, sink).ConfigureAwait(false);
            var partial = !buffer.Slice(consumed).IsEmpty;
            _reader.AdvanceTo(consumed, buffer.End);
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
        BinaryFormat.Write(_writer, message, _encoding);
        var result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }

    protected override bool TryQueueCore(OutboundMessage message)
    {
        BinaryFormat.Write(_writer, message, _encoding);
        return true;
    }

    protected override async ValueTask SendQueuedCoreAsync(CancellationToken cancellationToken)
    {
        var result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }

    protected override async ValueTask CloseOutputCoreAsync(CancellationToken cancellationToken)
    {
        if (_stream is SslStream secure)
        {
            // close_notify first, so that the server reads a clean end of the TLS stream.
            await secure.ShutdownAsync().ConfigureAwait(false);
        }

        _socket.Shutdown(SocketShutdown.Send);
    }

    protected override void Abort() => _socket.Close();

    protected override async ValueTask DisposeCoreAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Whatever was still buffered cannot go out on a closed socket.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _receiver.Dispose();
    }
}
