using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AppMsg.Edge.Devices;

/// <summary>
/// The receiving side of one plain TCP device connection. While the device is silent it waits with a zero-byte receive and
/// holds no buffer; what arrives is read into a pooled buffer that goes back as soon as no partial frame is left. It keeps
/// no timer of its own: <see cref="SocketDeviceListener"/> sweeps every connection once a second against its read deadline.
/// </summary>
public sealed partial class SocketDeviceReceiver
{
    private const int ReceiveChunk = 4 * 1024;

    private readonly Socket socket;
    private readonly DeviceServices services;
    private long lastReadAt = Environment.TickCount64;

    public SocketDeviceReceiver(Socket socket, DeviceServices services)
    {
        this.socket = socket;
        this.services = services;
        Channel = new SocketDeviceChannel(socket);
        Connection = DeviceConnection.Open(Channel, services, Channel.Abort, (socket.RemoteEndPoint as IPEndPoint)?.Address);
    }

    public DeviceConnection Connection { get; }

    public SocketDeviceChannel Channel { get; }

    /// <summary>Closes the connection when nothing arrived within its read deadline (the register deadline, then the idle limit).</summary>
    public void CloseIfSilent(long nowMs)
    {
        if (!Connection.IsClosing && nowMs - Volatile.Read(ref lastReadAt) > (long)Connection.ReadTimeout.TotalMilliseconds)
        {
            LogTimedOut(services.Logger, Connection.IsRegistered ? "idle limit" : "register deadline");
            Connection.Close();
        }
    }

    /// <summary>Reads and dispatches frames until the device or the edge ends the connection, then ends it everywhere.</summary>
    public async Task RunAsync(ConcurrentDictionary<SocketDeviceReceiver, byte> open)
    {
        open.TryAdd(this, 0);
        services.Connections.Opened("tcp");
        byte[]? buffer = null;
        int start = 0, end = 0;
        try
        {
            while (!Connection.IsClosing)
            {
                if (start == end)
                {
                    start = end = 0;
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }

                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                    buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
                }
                else if (end == buffer!.Length)
                {
                    // A frame longer than the room left: moved to the front, into a larger buffer when it fills half of it
                    // (the frame reader refuses a frame over the body limit before it is read whole, which bounds this).
                    var pending = end - start;
                    var target = pending * 2 > buffer.Length ? ArrayPool<byte>.Shared.Rent(buffer.Length * 2) : buffer;
                    Buffer.BlockCopy(buffer, start, target, 0, pending);
                    if (!ReferenceEquals(target, buffer))
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = target;
                    }

                    (start, end) = (0, pending);
                }

                var received = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None);
                if (received == 0)
                {
                    break;
                }

                end += received;
                Volatile.Write(ref lastReadAt, Environment.TickCount64);
                var unread = new ReadOnlySequence<byte>(buffer, start, end - start);
                var next = await BinaryFrameReading.DispatchFramesAsync(Connection, unread, services.Settings.MaxBodyLength);
                start = end - (int)unread.Slice(next).Length;
                Volatile.Write(ref lastReadAt, Environment.TickCount64);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            LogTransportError(services.Logger, e.Message);
        }
        catch (Exception e)
        {
            LogUnexpected(services.Logger, e);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            open.TryRemove(this, out _);
            services.Connections.Closed("tcp");
            await Connection.EndAsync();
            await Channel.CloseAfterFinalWritesAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "tcp: closed on the {Limit}")]
    private static partial void LogTimedOut(ILogger logger, string limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "tcp: {Reason}")]
    private static partial void LogTransportError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "tcp: unexpected failure; connection closed")]
    private static partial void LogUnexpected(ILogger logger, Exception e);
}
