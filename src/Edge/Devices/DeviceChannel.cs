using System.Buffers;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>
/// The outbound side of one device connection, in the framing the terminal chose. Sending only queues the frame: one
/// write loop per connection takes whatever is queued and writes it together (one flush for all of it on TCP), so a
/// fan-out never waits for one socket before the next, and a slow reader holds up nobody but itself. The queue is
/// bounded (<see cref="DeviceSettings.SendQueueLimit"/>): a connection that falls further behind is closed.
/// </summary>
public abstract class DeviceChannel : IThreadPoolWorkItem
{
    /// <summary>How long a closing connection's last frames (a KICK, a refused REGRESP) may take to go out.</summary>
    public static readonly TimeSpan FinalWritesWait = TimeSpan.FromSeconds(2);

    private static readonly OutboundFrame[] NoFrames = [];

    // Guarded by lock (this): one object less per connection than a lock of its own. Two arrays take turns: the loop writes one while senders fill the other.
    private OutboundFrame[] queued = NoFrames;
    private OutboundFrame[] writing = NoFrames;
    private int count;
    private bool loopRunning;
    private bool completed;
    private long writeStartedAt;
    private TaskCompletionSource? emptied;
    private int limit = 1_024;
    private Action? closeConnection;

    /// <summary>The body encoding for binary frames, fixed by the terminal's REGISTER.</summary>
    public BodyEncoding Encoding { get; set; }

    /// <summary>A short name of the transport, for logs.</summary>
    public abstract string Transport { get; }

    /// <summary>Frames queued and not yet handed to the transport.</summary>
    public int Queued
    {
        get
        {
            lock (this)
            {
                return count;
            }
        }
    }

    /// <summary>True once a frame did not fit in the queue (the connection was closed for it).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Sets the queue's bound, and how to close the connection when a frame does not fit or a write fails.</summary>
    public void Bound(int sendQueueLimit, Action close)
    {
        limit = sendQueueLimit;
        closeConnection = close;
    }

    /// <summary>How long the write in progress has been waiting for the transport (zero when none is).</summary>
    public TimeSpan PendingWriteAge(long nowMs)
    {
        var started = Volatile.Read(ref writeStartedAt);
        return started == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(nowMs - started);
    }

    public abstract void SendRegisterResponse(uint tid, RegisterResultCode code, ReadOnlyMemory<byte> json);

    public abstract void SendPong(uint tid, PongCode code);

    public abstract void SendKick(uint tid, KickReason reason);

    public void SendPush(uint tid, PushDelivery delivery, byte flag) => Enqueue(OutboundFrame.Of(delivery, tid, flag));

    public abstract void SendImResponse(uint tid, ImResultCode code, ReadOnlyMemory<byte> json);

    public abstract void SendSyncResponse(uint tid, SyncResultCode code, bool complete);

    /// <summary>Sends a CALLBACK whose payload is the JSON <c>{"id","payload"}</c>.</summary>
    public abstract void SendCallback(uint tid, ReadOnlyMemory<byte> payload);

    /// <summary>Completes when nothing is queued (a replay sends its next page then, so it never floods the queue).</summary>
    public Task WhenEmptyAsync()
    {
        lock (this)
        {
            if (count == 0 && !loopRunning)
            {
                return Task.CompletedTask;
            }

            emptied ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return emptied.Task;
        }
    }

    /// <summary>Takes no more frames, and waits (at most <paramref name="wait"/>) until the queued ones are written: a KICK goes out before the close.</summary>
    public async Task CompleteAsync(TimeSpan wait)
    {
        lock (this)
        {
            completed = true;
        }

        try
        {
            await WhenEmptyAsync().WaitAsync(wait);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Queues a frame; the write loop starts when it is not running. A full queue closes the connection.</summary>
    protected void Enqueue(OutboundFrame frame)
    {
        var start = false;
        var overflow = false;
        lock (this)
        {
            if (completed)
            {
                return;
            }

            if (count == limit)
            {
                completed = true;
                overflow = true;
                Overflowed = true;
            }
            else
            {
                if (count == queued.Length)
                {
                    Array.Resize(ref queued, Math.Min(limit, Math.Max(4, count * 2)));
                }

                queued[count++] = frame;
                start = !loopRunning;
                loopRunning |= start;
            }
        }

        if (overflow)
        {
            closeConnection?.Invoke();
        }
        else if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Encodes a frame other than a PUSH now, into bytes of its own, and queues it.</summary>
    protected void EnqueueEncoded<TState>(TState state, Action<IBufferWriter<byte>, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        write(buffer, state);
        Enqueue(OutboundFrame.Of(Finish(buffer.WrittenSpan)));
    }

    /// <summary>The bytes the transport sends for an encoded frame (a framing may wrap them).</summary>
    protected virtual byte[] Finish(ReadOnlySpan<byte> encoded) => encoded.ToArray();

    /// <summary>Writes the frames, in order, to the transport; throws when the connection is gone.</summary>
    protected abstract ValueTask WriteAsync(ReadOnlyMemory<OutboundFrame> frames);

    void IThreadPoolWorkItem.Execute() => _ = WriteLoopAsync();

    private async Task WriteLoopAsync()
    {
        while (true)
        {
            OutboundFrame[] batch;
            int taken;
            lock (this)
            {
                if (count == 0)
                {
                    loopRunning = false;
                    Volatile.Write(ref writeStartedAt, 0);
                    emptied?.TrySetResult();
                    emptied = null;
                    return;
                }

                (batch, queued, writing) = (queued, writing, queued);
                taken = count;
                count = 0;
            }

            Volatile.Write(ref writeStartedAt, Environment.TickCount64);
            try
            {
                await WriteAsync(batch.AsMemory(0, taken));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The connection is gone: its read loop ends it; nothing more is written.
                lock (this)
                {
                    completed = true;
                    Array.Clear(queued, 0, count);
                    count = 0;
                }

                closeConnection?.Invoke();
            }

            Array.Clear(batch, 0, taken);
        }
    }
}
