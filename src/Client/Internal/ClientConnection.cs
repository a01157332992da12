using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using AppMsg.Client.Transports;
using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>
/// One connection of a <see cref="DeviceClient"/>, from opening to its end: the receive loop, the requests waiting
/// for responses, the heartbeat, automatic acknowledgements. A connection is never reused; reconnecting opens a new one.
/// </summary>
internal sealed partial class ClientConnection : IInboundSink
{
    /// <summary>How long a polite close waits for the server to close its side before cutting the connection.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    private readonly DeviceTransport transport;
    private readonly DeviceClientOptions options;
    private readonly TidCounter tids;
    private readonly ChannelWriter<DeviceEvent> events;
    private readonly PendingRequests pending = new();
    private readonly CancellationTokenSource lifetime = new();
    private readonly Task<string> completion;
    private readonly Action<ClientConnection> onRegistered;
    private readonly DeliveryTracker deliveries;
    private long quietSyncTid = -1;
    private uint registerTid;
    private string? closeReason;
    private int kick; // the KICK reason + 1; 0 while not kicked

    private ClientConnection(
        DeviceTransport transport,
        DeviceClientOptions options,
        TidCounter tids,
        ChannelWriter<DeviceEvent> events,
        DeliveryTracker deliveries,
        Action<ClientConnection> onRegistered)
    {
        this.deliveries = deliveries;
        this.transport = transport;
        this.options = options;
        this.tids = tids;
        this.events = events;
        this.onRegistered = onRegistered;
        completion = RunAsync();
    }

    /// <summary>Completes with the reason when the connection has ended and its resources are released.</summary>
    public Task<string> Completion => completion;

    /// <summary>The REGRESP that registered this connection.</summary>
    public RegisterResult? Registration { get; private set; }

    /// <summary>The reason of the KICK the server sent, if it sent one.</summary>
    public KickReason? Kick => Volatile.Read(ref this.kick) is var kick and > 0 ? (KickReason)(kick - 1) : null;

    /// <summary>How many requests wait for a response.</summary>
    public int PendingCount => pending.Count;

    /// <summary>Opens a transport, registers, and starts the heartbeat.</summary>
    /// <param name="options">The client's options.</param>
    /// <param name="tids">The client's TID counter.</param>
    /// <param name="events">Where events go.</param>
    /// <param name="deliveries">The client's memory of what it received (duplicates, gaps).</param>
    /// <param name="onRegistered">
    /// Called on the receive loop as soon as the REGRESP is ok, before any message that follows it (a reconnect's
    /// replay) is handled: the client publishes the connection there, so that its events come in order.
    /// </param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="DeviceRegistrationException">The server refused the REGISTER.</exception>
    /// <exception cref="TimeoutException">Opening the connection or the REGRESP took too long.</exception>
    public static async Task<ClientConnection> OpenAsync(
        DeviceClientOptions options,
        TidCounter tids,
        ChannelWriter<DeviceEvent> events,
        DeliveryTracker deliveries,
        Action<ClientConnection> onRegistered,
        CancellationToken cancellationToken)
    {
        DeviceTransport transport;
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(options.ConnectTimeout);
            try
            {
                transport = await DeviceTransport.OpenAsync(options, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Could not connect to {options.Endpoint} within {options.ConnectTimeout.TotalSeconds:0.###} s.");
            }
        }

        var connection = new ClientConnection(transport, options, tids, events, deliveries, onRegistered);
        try
        {
            var request = new RegisterRequest(options.ProtocolVersion, options.TerminalType, options.UserId, options.Token, options.DeviceId);
            var tid = tids.Next();
            Volatile.Write(ref connection.registerTid, tid);
            var response = await connection.RequestAsync(
                OutboundMessage.ForRegister(tid, request), MessageType.RegResp, cancellationToken).ConfigureAwait(false);
            if (response.Code != (byte)RegisterResultCode.Ok)
            {
                throw new DeviceRegistrationException((RegisterResultCode)response.Code);
            }

            connection.Registration ??= RegisterResult.FromResponse(response);
            connection.StartHeartbeat(connection.Registration.Heartbeat);
            return connection;
        }
        catch
        {
            await connection.CloseAsync("registration did not complete").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends a request and waits for the response with its TID (at most the request timeout).</summary>
    /// <exception cref="IOException">The connection ended before the response came.</exception>
    /// <exception cref="TimeoutException">No response in time.</exception>
    public async Task<ResponseMessage> RequestAsync(OutboundMessage message, MessageType responseType, CancellationToken cancellationToken)
    {
        var request = pending.Add(message.Tid, responseType);
        try
        {
            await SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (request.Task.IsCompletedSuccessfully)
        {
            // The server answered and closed before the send reported completion (a refused REGISTER over
            // WebSocket): the answer is what counts.
        }
        catch
        {
            pending.Remove(message.Tid, request);
            throw;
        }

        return await pending.WaitAsync(message.Tid, request, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A SYNC of the client's own (to fill a gap): its SYNCRESP completes the request but is not an event.</summary>
    public Task<ResponseMessage> RequestQuietSyncAsync(OutboundMessage sync, CancellationToken cancellationToken)
    {
        Volatile.Write(ref quietSyncTid, sync.Tid);
        return RequestAsync(sync, MessageType.SyncResp, cancellationToken);
    }

    /// <summary>Sends a message that expects no response (an acknowledgement).</summary>
    /// <exception cref="IOException">The connection is closed or failed.</exception>
    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // The write itself is not abandoned half-way for the caller's token, or the stream would be corrupt.
            await transport.SendAsync(message, lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            throw new IOException($"The connection is closed: {closeReason ?? e.Message}", e);
        }
    }

    /// <summary>Closes politely (the server sees the session end at once) and waits until the connection has ended.</summary>
    public async Task<string> CloseAsync(string reason)
    {
        Interlocked.CompareExchange(ref closeReason, reason, null);
        if (!completion.IsCompleted)
        {
            try
            {
                using var grace = new CancellationTokenSource(CloseGrace);
                await transport.CloseOutputAsync(grace.Token).ConfigureAwait(false);
                await completion.WaitAsync(CloseGrace).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransportFailure(e) || e is TimeoutException)
            {
                // The server did not close its side in time (or the connection is already broken): cut it.
            }

            Abort(reason);
        }

        return await completion.ConfigureAwait(false);
    }

    /// <summary>Ends the connection at once.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref closeReason, reason, null);
        lifetime.Cancel();
    }

    private static bool IsTransportFailure(Exception e) =>
        e is IOException or SocketException or WebSocketException or ObjectDisposedException or OperationCanceledException
            or InvalidOperationException;

    private async Task<string> RunAsync()
    {
        // Run the loop off the caller's stack: the constructor returns at once.
        await Task.Yield();
        string reason;
        try
        {
            reason = await transport.ReceiveAsync(this, lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = "closed";
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            reason = $"transport error: {e.Message}";
        }
#pragma warning disable CA1031 // The loop must end with a reason whatever went wrong, or the client would hang.
        catch (Exception e)
#pragma warning restore CA1031
        {
            reason = $"client error: {e.GetType().Name}: {e.Message}";
        }

        Interlocked.CompareExchange(ref closeReason, reason, null);
        reason = closeReason!;
        lifetime.Cancel();
        pending.FailAll(new IOException($"The connection closed before the response came: {reason}"));
        try
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Releasing a broken connection must not keep the client from learning that it ended.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Already broken; nothing more to release.
        }

        return reason;
    }
}
