using System.Diagnostics;
using System.Text;
using AppMsg.Client;

namespace AppMsg.Bench.Faults;

/// <summary>
/// One user's device: a binary-TCP <see cref="DeviceClient"/> that acknowledges every PUSH and IM and pings. When its
/// connection ends it asks an edge for one to use (<c>GET /v1/edges/pick</c>) and registers there (replay brings what it
/// missed). It records, per timeline and seq, what arrived live and what by replay, and drops duplicates.
/// </summary>
public sealed class FaultDevice
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
    private readonly List<ConnectedSpan> spans = [];
    private readonly Dictionary<long, long> liveOnly = [];
    private readonly byte[] inboxUtf8;
    private readonly byte[] qunUtf8;
    private DeviceClient? client;
    private DeviceSession? session;
    private long unreadable;
    private long otherTimelines;
    private int reconnects;
    private long received;

    public FaultDevice(int index, string userId, string token, int qun, string qunTimeline)
    {
        Index = index;
        UserId = userId;
        Token = token;
        Qun = qun;
        InboxTimeline = $"{userId}@user";
        QunTimeline = qunTimeline;
        inboxUtf8 = Encoding.UTF8.GetBytes(InboxTimeline);
        qunUtf8 = Encoding.UTF8.GetBytes(qunTimeline);
    }

    public int Index { get; }

    public string UserId { get; }

    public string Token { get; }

    /// <summary>The index of the qun the user is a member of.</summary>
    public int Qun { get; }

    public string InboxTimeline { get; }

    public string QunTimeline { get; }

    public TimelineReceipts Inbox { get; } = new();

    public TimelineReceipts QunReceipts { get; } = new();

    /// <summary>The current registration, null while disconnected.</summary>
    public DeviceSession? Session => Volatile.Read(ref session);

    public int Reconnects => Volatile.Read(ref reconnects);

    public long Unreadable => Interlocked.Read(ref unreadable);

    public long OtherTimelines => Interlocked.Read(ref otherTimelines);

    /// <summary>Envelopes received, duplicates included.</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>The device's registrations so far; read once the device has stopped.</summary>
    public IReadOnlyList<ConnectedSpan> Spans => spans;

    /// <summary>When a message that has no seq (a live-only push), by suite number, first arrived live; read once stopped.</summary>
    public long? LiveOnlyReceipt(long number) => liveOnly.TryGetValue(number, out var at) ? at : null;

    /// <summary>
    /// Keeps the device connected until <paramref name="cancellationToken"/> fires: first to <paramref name="firstEndpoint"/>,
    /// then wherever <paramref name="edges"/> picks. <paramref name="connectGate"/> bounds connects in progress across devices.
    /// </summary>
    public async Task RunAsync(string firstEndpoint, EdgePicker edges, SemaphoreSlim connectGate, CancellationToken cancellationToken)
    {
        var endpoint = firstEndpoint;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                endpoint ??= await edges.PickTcpAsync(cancellationToken);
                if (endpoint is null || !await ConnectAsync(endpoint, connectGate, cancellationToken))
                {
                    endpoint = null;
                    await Task.Delay(Random.Shared.Next(250, 1000), cancellationToken);
                    continue;
                }

                await ReceiveAsync(client!, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                await EndConnectionAsync();
            }

            endpoint = null;
            if (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref reconnects);
            }
        }
    }

    /// <summary>SYNC <c>{}</c>: asks for everything after what the server saw acknowledged. False when not registered or no answer.</summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref client) is not { } current || Session is null)
        {
            return false;
        }

        try
        {
            var result = await current.SyncAsync("{}", cancellationToken);
            return result.IsSuccess;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task<bool> ConnectAsync(string endpoint, SemaphoreSlim connectGate, CancellationToken cancellationToken)
    {
        var next = new DeviceClient(new DeviceClientOptions
        {
            Endpoint = endpoint,
            Transport = DeviceTransportKind.Tcp,
            UserId = UserId,
            Token = Token,
            TerminalType = Protocol.TerminalType.Android,
            HeartbeatInterval = Heartbeat,
            Reconnect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        await connectGate.WaitAsync(cancellationToken);
        try
        {
            var registration = await next.ConnectAsync(cancellationToken);
            Volatile.Write(ref client, next);
            var now = Stopwatch.GetTimestamp();
            lock (spans)
            {
                spans.Add(new ConnectedSpan(now, long.MaxValue, endpoint));
            }

            Volatile.Write(ref session, new DeviceSession(registration.SessionId ?? "", now));
            return true;
        }
        catch (Exception e) when (e is DeviceRegistrationException or TimeoutException or IOException or System.Net.Sockets.SocketException
            or InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            await next.DisposeAsync();
            return false;
        }
        finally
        {
            connectGate.Release();
        }
    }

    private async Task ReceiveAsync(DeviceClient current, CancellationToken cancellationToken)
    {
        await foreach (var e in current.Events.ReadAllAsync(cancellationToken))
        {
            switch (e)
            {
                case PushEvent push:
                    Record(push.Envelope.Span, live: push.Offline == 0);
                    break;
                case ImEvent im:
                    Record(im.Envelope.Span, live: true);
                    break;
                case DisconnectedEvent:
                    return;
            }
        }
    }

    private async Task EndConnectionAsync()
    {
        Volatile.Write(ref session, null);
        var now = Stopwatch.GetTimestamp();
        lock (spans)
        {
            if (spans.Count > 0 && spans[^1].Until == long.MaxValue)
            {
                spans[^1] = spans[^1] with { Until = now };
            }
        }

        if (Interlocked.Exchange(ref client, null) is { } ended)
        {
            await ended.DisposeAsync();
        }
    }

    private void Record(ReadOnlySpan<byte> envelope, bool live)
    {
        if (!EnvelopeFields.TryRead(envelope, out var timeline, out var seq, out var number))
        {
            Interlocked.Increment(ref unreadable);
            return;
        }

        Interlocked.Increment(ref received);
        var now = Stopwatch.GetTimestamp();
        var receipts = timeline.SequenceEqual(inboxUtf8) ? Inbox : timeline.SequenceEqual(qunUtf8) ? QunReceipts : null;
        if (receipts is null)
        {
            Interlocked.Increment(ref otherTimelines);
        }
        else if (seq > 0)
        {
            receipts.Record(seq, live, now);
        }
        else if (number >= 0 && live)
        {
            liveOnly.TryAdd(number, now);
        }
    }
}
