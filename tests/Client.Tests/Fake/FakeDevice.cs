using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests.Fake;

/// <summary>
/// The server's end of one device connection to a <see cref="FakeEdge"/>. Like the real edge it reads all the
/// time and closes its side as soon as the device closes its own.
/// </summary>
internal sealed class FakeDevice : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly PipeReader reader;
    private readonly Channel<ReceivedFrame> frames = Channel.CreateUnbounded<ReceivedFrame>();
    private readonly Task pump;

    public FakeDevice(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        reader = PipeReader.Create(stream);
        pump = PumpAsync();
    }

    /// <summary>The encoding of the device's REGISTER, which the server answers in.</summary>
    public BodyEncoding Encoding { get; private set; }

    /// <summary>The next frame from the device, decoded; null when the device closed the connection.</summary>
    public async Task<ReceivedFrame?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(FakeEdge.Patience);
        return await frames.Reader.WaitToReadAsync(timeout.Token) && frames.Reader.TryRead(out var frame) ? frame : null;
    }

    /// <summary>The next frame if one comes within <paramref name="wait"/>; null otherwise (or when the device closed).</summary>
    public async Task<ReceivedFrame?> TryReadAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await frames.Reader.WaitToReadAsync(timeout.Token) && frames.Reader.TryRead(out var frame) ? frame : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The next frame, which must be of <paramref name="type"/>.</summary>
    public async Task<ReceivedFrame> ExpectAsync(MessageType type)
    {
        var frame = await ReadAsync() ?? throw new EndOfStreamException($"The client closed the connection; expected {type}.");
        Assert.Equal(type, frame.Type);
        return frame;
    }

    /// <summary>Whether the device closes the connection (anything it sends first is skipped).</summary>
    public async Task<bool> IsClosedByClientAsync()
    {
        try
        {
            while (await ReadAsync() is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads the REGISTER, remembers its encoding, and answers REGRESP.</summary>
    public async Task<RegisterRequest> AcceptRegisterAsync(
        RegisterResultCode code = RegisterResultCode.Ok, string json = "{\"sessionId\":\"fake-session\",\"heartbeat\":300,\"serverTime\":1700000000000}")
    {
        var frame = await ExpectAsync(MessageType.Register);
        Encoding = frame.Encoding;
        Assert.True(RegisterBody.TryParse(frame.Body, out var request, out var error), error.ToString());
        await SendAsync((w, e) => FrameWriter.WriteRegisterResponse(
            w, e, frame.Tid, code, code == RegisterResultCode.Ok ? System.Text.Encoding.UTF8.GetBytes(json) : default));
        return request;
    }

    /// <summary>Sends what <paramref name="write"/> writes, in the device's encoding, in one piece.</summary>
    public Task SendAsync(Action<IBufferWriter<byte>, BodyEncoding> write) => SendAsync(Build(write));

    /// <summary>Sends bytes, in pieces of <paramref name="chunk"/> bytes sent one by one.</summary>
    public async Task SendAsync(byte[] bytes, int chunk = int.MaxValue)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            await socket.SendAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)), SocketFlags.None);
            if (chunk < bytes.Length)
            {
                await Task.Delay(1);
            }
        }
    }

    /// <summary>The bytes <paramref name="write"/> writes, in the device's encoding.</summary>
    public byte[] Build(Action<IBufferWriter<byte>, BodyEncoding> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output, Encoding);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Cuts the connection.</summary>
    public void Close() => socket.Close();

    public async ValueTask DisposeAsync()
    {
        Close();
        await pump;
        await stream.DisposeAsync();
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (FrameReader.TryReadFrame(ref buffer, ProtocolLimits.DefaultMaxBodyLength, out var frame, out var error) is var status
                    && status != FrameReadStatus.NeedMoreData)
                {
                    if (status == FrameReadStatus.Error)
                    {
                        throw new InvalidDataException($"The client sent a bad frame: {error}");
                    }

                    frames.Writer.TryWrite(new ReceivedFrame(frame.Type, frame.Tid, frame.Encoding, frame.DecodeBodyToArray()));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidDataException)
        {
            frames.Writer.TryComplete(e is InvalidDataException ? e : null);
        }
        finally
        {
            frames.Writer.TryComplete();
            await reader.CompleteAsync();

            // The device closed its side: close ours, as the edge does.
            socket.Close();
        }
    }
}
