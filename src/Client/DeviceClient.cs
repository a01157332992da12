using System.Threading.Channels;
using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>
/// A device's connection to AppMsg: connects over TCP or WebSocket in any encoding, registers, keeps the
/// heartbeat, acknowledges what it receives, hands out events in order through <see cref="Events"/>, and
/// reconnects with exponential backoff and jitter when the connection is lost.
/// </summary>
/// <remarks>
/// Read <see cref="Events"/> continuously: events queue without bound until read. Requests may be sent from any
/// thread. Dispose the client to close the connection; it never reconnects afterwards.
/// </remarks>
public sealed partial class DeviceClient : IAsyncDisposable
{
    private readonly Channel<DeviceEvent> events = Channel.CreateUnbounded<DeviceEvent>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private readonly TidCounter tids = new();
    private readonly CancellationTokenSource lifetime = new();
    private readonly SemaphoreSlim connectLock = new(1, 1);
    private readonly DeliveryTracker deliveries;
    private ClientConnection? connection;
    private Task supervisor = Task.CompletedTask;
    private int state;
    private int disposed;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">A setting cannot work (an endpoint that is not host:port or a ws:// URL, an id that does not fit REGISTER, ...).</exception>
    public DeviceClient(DeviceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        deliveries = new DeliveryTracker(options.DropDuplicates, options.DuplicateWindow,
            options.GapSyncDelay == Timeout.InfiniteTimeSpan ? static () => { } : OnGap);
    }

    /// <summary>The settings the client was created with.</summary>
    public DeviceClientOptions Options { get; }

    /// <summary>Where the client is: disconnected, connecting, registered, or closed.</summary>
    public DeviceClientState State => (DeviceClientState)Volatile.Read(ref state);

    /// <summary>
    /// What happens, in order: pushes, IMs, callbacks, kicks, SYNC answers, disconnects and reconnects. Completes
    /// when the client is disposed.
    /// </summary>
    public ChannelReader<DeviceEvent> Events => events.Reader;

    /// <summary>The REGRESP of the current (or last) connection; null before the first registration.</summary>
    public RegisterResult? Registration => Volatile.Read(ref connection)?.Registration;

    private bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>
    /// Opens the connection, sends REGISTER and waits for REGRESP. From then on the client keeps itself connected
    /// (see <see cref="DeviceClientOptions.Reconnect"/>). Call again only once <see cref="State"/> is
    /// <see cref="DeviceClientState.Disconnected"/>.
    /// </summary>
    /// <returns>The REGRESP, with the session id, heartbeat and server time the server sent.</returns>
    /// <exception cref="DeviceRegistrationException">The server refused the REGISTER; <see cref="DeviceRegistrationException.Code"/> says why.</exception>
    /// <exception cref="TimeoutException">Opening the connection or the REGRESP took too long.</exception>
    /// <exception cref="InvalidOperationException">The client is already connecting or registered.</exception>
    public async Task<RegisterResult> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        await connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (State != DeviceClientState.Disconnected)
            {
                throw new InvalidOperationException($"The client is {State}; it connects only when disconnected.");
            }

            SetState(DeviceClientState.Connecting);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
            ClientConnection connection;
            try
            {
                connection = await ClientConnection.OpenAsync(Options, tids, events.Writer, deliveries, Publish, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (lifetime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                SetState(DeviceClientState.Disconnected);
                throw new ObjectDisposedException("The client was disposed while connecting.", e);
            }
            catch
            {
                SetState(DeviceClientState.Disconnected);
                throw;
            }

            supervisor = SuperviseAsync(connection);
            return connection.Registration!;
        }
        finally
        {
            connectLock.Release();
        }
    }

    /// <summary>Closes the connection (politely, so the server ends the session at once), stops reconnecting, and completes <see cref="Events"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        lifetime.Cancel();
        await connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref this.connection) is { } connection)
            {
                await connection.CloseAsync("disposed").ConfigureAwait(false);
            }

            await supervisor.ConfigureAwait(false);

            // A reconnect that completed while the first close ran.
            if (Volatile.Read(ref this.connection) is { } last)
            {
                await last.CloseAsync("disposed").ConfigureAwait(false);
            }
        }
        finally
        {
            connectLock.Release();
        }

        SetState(DeviceClientState.Closed);
        events.Writer.TryComplete();
    }

    private void SetState(DeviceClientState state) => Volatile.Write(ref this.state, (int)state);

    /// <summary>Makes a newly registered connection the current one (on its receive loop, before later messages).</summary>
    private void Publish(ClientConnection connection)
    {
        Volatile.Write(ref this.connection, connection);
        SetState(DeviceClientState.Registered);
    }
}
