using System.Diagnostics.Metrics;

namespace AppMsg.Edge.Metrics;

/// <summary>
/// The edge's own instruments (meter <c>AppMsg.Edge</c>, names in docs/metrics.md). Static: one per process,
/// and every record on the delivery path is an allocation-free call with at most one constant tag.
/// </summary>
public static class EdgeMetrics
{
    public const string MeterName = "AppMsg.Edge";

    // Seconds: a local delivery takes well under a millisecond, one through a busy cluster tens of milliseconds.
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Meter Meter = new(MeterName);

    // Gauges are observed from process-wide counts rather than recorded as +1/-1: a listener that starts late (a
    // restarted meter provider, or each of several edges hosted in one test process) would otherwise count the
    // closes of connections whose opens it never saw.
    private static long tcpConnections;
    private static long webSocketConnections;
    private static long activeReplays;

    private static readonly KeyValuePair<string, object?> Tcp = new("transport", "tcp");
    private static readonly KeyValuePair<string, object?> WebSocket = new("transport", "websocket");

    private static readonly ObservableUpDownCounter<long> Connections = Meter.CreateObservableUpDownCounter(
        "appmsg.edge.connections",
        static () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref tcpConnections), Tcp),
            new Measurement<long>(Interlocked.Read(ref webSocketConnections), WebSocket),
        },
        "{connection}", "Device connections open now, registered or not, by transport");

    private static readonly Counter<long> Registers = Meter.CreateCounter<long>(
        "appmsg.edge.registers", "{register}", "REGISTER requests answered, by result (ok or the refusal)");

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "appmsg.edge.deliveries", "{delivery}", "Stored messages written to a device connection, by path (live or replay)");

    private static readonly Histogram<double> PublishToSocket = Meter.CreateHistogram(
        "appmsg.edge.publish_to_socket.duration", "s", "From the moment a message was stored to its live frame being queued on a device's socket",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static readonly Histogram<double> Acknowledgement = Meter.CreateHistogram(
        "appmsg.edge.acknowledgement.duration", "s", "From a PUSH being queued to the device's PUSHRESP",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static readonly ObservableUpDownCounter<long> Replays = Meter.CreateObservableUpDownCounter(
        "appmsg.edge.replays.active", static () => Interlocked.Read(ref activeReplays),
        "{session}", "Sessions replaying stored messages now (the replay backlog); their live deliveries wait");

    private static readonly Counter<long> MessagesAccepted = Meter.CreateCounter<long>(
        "appmsg.edge.messages.accepted", "{message}", "Messages stored through this edge (HTTP POST /v1/messages results and device IMs)");

    private static readonly Counter<long> ProtocolErrors = Meter.CreateCounter<long>(
        "appmsg.edge.protocol_errors", "{error}", "Device connections closed on a protocol error");

    private static readonly Counter<long> TlsHandshakes = Meter.CreateCounter<long>(
        "appmsg.edge.tls.handshakes", "{handshake}", "TLS handshakes completed on the binary TLS and HTTPS ports, by session (resumed or full)");

    private static readonly KeyValuePair<string, object?> Live = new("path", "live");
    private static readonly KeyValuePair<string, object?> SessionResumed = new("session", "resumed");
    private static readonly KeyValuePair<string, object?> SessionFull = new("session", "full");
    private static readonly KeyValuePair<string, object?> Replay = new("path", "replay");
    private static readonly KeyValuePair<string, object?> RegisterOk = new("result", "ok");

    /// <summary>A device connection opened on <paramref name="transport"/> (<c>tcp</c> or <c>websocket</c>).</summary>
    public static void ConnectionOpened(string transport) => Interlocked.Increment(ref TransportCount(transport));

    public static void ConnectionClosed(string transport) => Interlocked.Decrement(ref TransportCount(transport));

    public static void Registered() => Registers.Add(1, RegisterOk);

    public static void RegisterRefused(string result) => Registers.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>A stored message queued to a connection; for a live one, <paramref name="storedAtMs"/> (unix ms, 0 unknown) gives its latency.</summary>
    public static void Delivered(bool replay, long storedAtMs)
    {
        if (replay)
        {
            Deliveries.Add(1, Replay);
            return;
        }

        Deliveries.Add(1, Live);
        if (storedAtMs > 0 && PublishToSocket.Enabled)
        {
            PublishToSocket.Record(Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - storedAtMs) / 1000.0);
        }
    }

    /// <summary>A PUSHRESP came <paramref name="elapsedMs"/> after its PUSH was queued.</summary>
    public static void Acknowledged(long elapsedMs) => Acknowledgement.Record(elapsedMs / 1000.0);

    public static void ReplayStarted() => Interlocked.Increment(ref activeReplays);

    public static void ReplayEnded() => Interlocked.Decrement(ref activeReplays);

    public static void Accepted(int messages) => MessagesAccepted.Add(messages);

    public static void ProtocolError() => ProtocolErrors.Add(1);

    /// <summary>A TLS handshake completed, resuming an earlier session or not.</summary>
    public static void TlsHandshake(bool resumed) => TlsHandshakes.Add(1, resumed ? SessionResumed : SessionFull);

    private static ref long TransportCount(string transport) =>
        ref transport == "websocket" ? ref webSocketConnections : ref tcpConnections;
}
