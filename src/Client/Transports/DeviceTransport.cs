using AppMsg.Client.Internal;

namespace AppMsg.Client.Transports;

/// <summary>
/// One open connection to the edge in one of the transport forms: sends messages one at a time, and runs the
/// receive loop that hands the server's messages to a sink.
/// </summary>
internal abstract class DeviceTransport : IAsyncDisposable
{
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private bool outputClosed;
    private bool acknowledgementsQueued;

    /// <summary>Opens the transport <paramref name="options"/> names.</summary>
    public static async Task<DeviceTransport> OpenAsync(DeviceClientOptions options, CancellationToken cancellationToken) =>
        options.Transport switch
        {
            DeviceTransportKind.Tcp => await TcpTransport.ConnectAsync(options, cancellationToken).ConfigureAwait(false),
            DeviceTransportKind.WebSocketBinary => await WebSocketBinaryTransport.ConnectAsync(options, cancellationToken).ConfigureAwait(false),
            _ => await WebSocketTextTransport.ConnectAsync(options, cancellationToken).ConfigureAwait(false),
        };

    /// <summary>Sends one message; messages from concurrent callers go out whole, one after the other.</summary>
    /// <exception cref="IOException">The connection is closed or failed.</exception>
    public async ValueTask SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (outputClosed)
            {
                throw new IOException("The connection is closed.");
            }

            await SendCoreAsync(message, cancellationToken).ConfigureAwait(false);
            // Whatever acknowledgements were queued went out with it.
            acknowledgementsQueued = false;
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>
    /// Writes an acknowledgement without sending it yet: it goes out with the next message sent, or when the receive loop
    /// calls <see cref="FlushAcknowledgementsAsync"/> after handling what one read brought, so the acknowledgements of
    /// messages that arrived together leave in one write. Transports that cannot hold one back send it at once.
    /// </summary>
    /// <exception cref="IOException">The connection is closed or failed.</exception>
    public async ValueTask QueueAcknowledgementAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (outputClosed)
            {
                throw new IOException("The connection is closed.");
            }

            if (TryQueueCore(message))
            {
                acknowledgementsQueued = true;
            }
            else
            {
                await SendCoreAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Sends the acknowledgements queued since the last send, if any (called by the receive loop).</summary>
    protected async ValueTask FlushAcknowledgementsAsync(CancellationToken cancellationToken)
    {
        // Only the receive loop queues, and it is the caller: no lock is needed to see that nothing is queued.
        if (!acknowledgementsQueued)
        {
            return;
        }

        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (acknowledgementsQueued && !outputClosed)
            {
                acknowledgementsQueued = false;
                await SendQueuedCoreAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>
    /// Ends the sending direction politely (a TCP FIN, a WebSocket close message), so that the server ends the session
    /// and closes its side, which ends the receive loop. Nothing is sent afterwards.
    /// </summary>
    public async ValueTask CloseOutputAsync(CancellationToken cancellationToken)
    {
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!outputClosed)
            {
                outputClosed = true;
                await CloseOutputCoreAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>
    /// Reads until the connection ends or the sink asks to stop, and returns why it ended. Cancelling
    /// <paramref name="cancellationToken"/> ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public abstract Task<string> ReceiveAsync(IInboundSink sink, CancellationToken cancellationToken);

    /// <summary>Releases the connection; call once the receive loop has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        // Cut the connection first, so a send stuck on a full socket fails and lets go of the lock.
        Abort();
        await sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            outputClosed = true;
            await DisposeCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Writes and sends one message, and any queued before it (called one at a time).</summary>
    protected abstract ValueTask SendCoreAsync(OutboundMessage message, CancellationToken cancellationToken);

    /// <summary>Writes a message to be sent later with others; false when the transport sends each message on its own.</summary>
    protected virtual bool TryQueueCore(OutboundMessage message) => false;

    /// <summary>Sends what <see cref="TryQueueCore"/> wrote.</summary>
    protected virtual ValueTask SendQueuedCoreAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Ends the sending direction (called once).</summary>
    protected abstract ValueTask CloseOutputCoreAsync(CancellationToken cancellationToken);

    /// <summary>Cuts the connection at once, failing any pending I/O.</summary>
    protected abstract void Abort();

    /// <summary>Releases buffers and handles.</summary>
    protected abstract ValueTask DisposeCoreAsync();
}
