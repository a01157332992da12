using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AppMsg.Protocol;

namespace AppMsg.Testing;

/// <summary>
/// A device speaking the binary protocol over a raw TCP socket, frame by frame, with nothing hidden:
/// tests use it to send exactly the bytes they mean, good or bad.
/// </summary>
public sealed class RawDevice : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly PipeReader reader;
    private readonly Stream stream;

    private RawDevice(Socket socket, Stream? stream = null)
    {
        this.socket = socket;
        this.stream = stream ?? new NetworkStream(socket, ownsSocket: true);
        reader = PipeReader.Create(this.stream);
    }

    public BodyEncoding Encoding { get; set; }

    /// <summary>The TLS stream of a device connected with <see cref="ConnectTlsAsync"/>; null over plain TCP.</summary>
    public SslStream? Tls => stream as SslStream;

    /// <summary>Connects to the binary port; a small <paramref name="receiveBufferBytes"/> plays a device whose socket fills fast.</summary>
    public static async Task<RawDevice> ConnectAsync(int port, int receiveBufferBytes = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferBytes > 0)
        {
            socket.ReceiveBufferSize = receiveBufferBytes;
        }

        await socket.ConnectAsync("127.0.0.1", port);
        return new RawDevice(socket);
    }

    /// <summary>
    /// Connects to the edge's binary-over-TLS listener; <paramref name="validate"/> judges its certificate. The platform
    /// keeps one session per <paramref name="targetHost"/> (a name, not an address) to resume the next connection with.
    /// </summary>
    public static async Task<RawDevice> ConnectTlsAsync(int port, RemoteCertificateValidationCallback validate, SslProtocols protocols = SslProtocols.None, string targetHost = "localhost")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = validate,
            });
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        return new RawDevice(socket, tls);
    }

    /// <summary>Sends REGISTER and returns the REGRESP.</summary>
    public async Task<ReceivedFrame> RegisterAsync(string userId, string token, TerminalType terminalType = TerminalType.Android, byte version = 1, uint tid = 1, string deviceId = "")
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteRegister(output, Encoding, tid, new RegisterRequest(version, terminalType, userId, token, deviceId));
        await SendRawAsync(output.WrittenMemory);
        return await ReceiveAsync();
    }

    public async Task<ReceivedFrame> PingAsync(uint tid = 2)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WritePing(output, Encoding, tid);
        await SendRawAsync(output.WrittenMemory);
        return await ReceiveAsync();
    }

    public async Task SendFrameAsync(MessageType type, uint tid, ReadOnlyMemory<byte> body)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.Write(output, type, Encoding, tid, body.Span);
        await SendRawAsync(output.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await stream.WriteAsync(bytes);

    /// <summary>The next frame from the server; throws <see cref="EndOfStreamException"/> when the server closed the connection.</summary>
    public async Task<ReceivedFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await reader.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            var status = FrameReader.TryReadFrame(ref buffer, 16 * 1024 * 1024, out var frame, out var error);
            if (status == FrameReadStatus.Frame)
            {
                var received = new ReceivedFrame(frame.Type, frame.Tid, frame.Encoding, frame.DecodeBodyToArray());
                reader.AdvanceTo(buffer.Start);
                return received;
            }

            if (status == FrameReadStatus.Error)
            {
                throw new InvalidDataException($"the server sent a bad frame: {error.Reason}");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("the server closed the connection");
            }
        }
    }

    /// <summary>True when the server closes the connection within <paramref name="timeout"/> (frames before the close are skipped).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                await ReceiveAsync(deadline - DateTime.UtcNow);
            }
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return false;
    }

    /// <summary>Drops the connection at once, with a TCP reset: a phone that lost its network mid-write.</summary>
    public void Abort()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await reader.CompleteAsync();
        await stream.DisposeAsync();
        socket.Dispose();
    }
}
