using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client;

/// <summary>What a <see cref="DeviceClient"/> connects to, who it registers as, and how it behaves.</summary>
public sealed record DeviceClientOptions
{
    /// <summary>
    /// Where the edge is: <c>host:port</c> (or <c>tcp://host:port</c>), or <c>tls://host:port</c> for the binary protocol over
    /// TLS, for <see cref="DeviceTransportKind.Tcp"/>; a <c>ws://</c> or <c>wss://</c> URL (the edge's <c>/ws</c>) for the
    /// WebSocket transports. Login and <c>GET /v1/edges/pick</c> name the TLS ones as <c>tcpTls</c> and <c>wss</c>.
    /// </summary>
    public required string Endpoint { get; init; }

    /// <summary>
    /// With TLS (<c>tls://</c>, <c>wss://</c>): the SHA-256 (hex, colons allowed) of the server's certificate or of its public
    /// key (SubjectPublicKeyInfo). When set, the server is trusted if and only if its certificate matches, instead of the
    /// platform's chain and host name validation: for self-signed certificates. Default null: the platform validates.
    /// </summary>
    public string? PinnedCertificateSha256 { get; init; }

    /// <summary>The transport and framing; default <see cref="DeviceTransportKind.Tcp"/>.</summary>
    public DeviceTransportKind Transport { get; init; } = DeviceTransportKind.Tcp;

    /// <summary>The body encoding of binary frames (TCP and WebSocket binary); the server answers in it. Ignored by the text forms.</summary>
    public BodyEncoding BodyEncoding { get; init; } = BodyEncoding.None;

    /// <summary>The terminal type sent in REGISTER; exactly one type, or the server refuses with code 5.</summary>
    public TerminalType TerminalType { get; init; } = TerminalType.Android;

    /// <summary>The user id login returned; empty (with an empty token) for an anonymous session.</summary>
    public string UserId { get; init; } = string.Empty;

    /// <summary>The token <c>POST /v1/auth/login</c> returned.</summary>
    public string Token { get; init; } = string.Empty;

    /// <summary>
    /// The device's own stable id (printable ASCII, at most 32 characters), kept by the application across runs:
    /// the server then keeps this device's read position apart from the user's other devices of the same terminal
    /// type, so each gets every message. Empty: the position is shared with them (older terminals).
    /// </summary>
    public string DeviceId { get; init; } = string.Empty;

    /// <summary>The protocol version sent in REGISTER; default 1.</summary>
    public byte ProtocolVersion { get; init; } = 1;

    /// <summary>
    /// How often to send PING while registered; default 60 s. When the server's REGRESP asks for a shorter heartbeat,
    /// that one is used. A PING without a PONG within <see cref="RequestTimeout"/> ends the connection.
    /// <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> turns the heartbeat off.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether the client answers PUSH with PUSHRESP 0, down IM with IMRESP 0 and KICK with KICKRESP 0 on the same TID
    /// as soon as it has queued the event; default true. When false, use <see cref="DeviceClient.AcknowledgeAsync"/>.
    /// CALLBACK is never answered automatically (see <see cref="DeviceClient.AnswerCallbackAsync"/>).
    /// </summary>
    public bool AutoAcknowledge { get; init; } = true;

    /// <summary>
    /// Whether a lost connection is reopened and registered again, with exponential backoff and full jitter; default true.
    /// Never after a KICK for another login, mobile exclusion or logout (reasons 1, 2, 4), after a REGISTER refused
    /// for good (codes 3, 4, 5), or after disposal.
    /// </summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>The ceiling of the first reconnect delay; each attempt doubles it up to <see cref="ReconnectMaxDelay"/>. Default 0.5 s.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest reconnect delay; default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a request (REGISTER, PING, IM, SYNC) waits for its response; default 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long opening the TCP connection or the WebSocket handshake may take; default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a PUSH or down IM whose envelope (<c>timeline</c>, <c>seq</c>) was received before is dropped instead of handed
    /// to the application; default true. A dropped duplicate is still acknowledged (PUSHRESP / IMRESP 0), even with
    /// <see cref="AutoAcknowledge"/> off, since the application never sees it.
    /// </summary>
    public bool DropDuplicates { get; init; } = true;

    /// <summary>
    /// How many seqs above a gap the client remembers per timeline (besides the highest contiguous seq); default 256. When more
    /// arrive, it gives up on the oldest gap.
    /// </summary>
    public int DuplicateWindow { get; init; } = 256;

    /// <summary>
    /// How long after it notices a gap (a seq beyond the last contiguous + 1 on a timeline it has seen) the client sends SYNC
    /// with the cursors it knows, so that messages still on their way arrive first; default 200 ms. At most one such SYNC is
    /// out at a time. <see cref="Timeout.InfiniteTimeSpan"/> turns gap SYNC off.
    /// </summary>
    public TimeSpan GapSyncDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest binary frame body accepted from the server; a larger one is a protocol error. Default 64 KiB.</summary>
    public int MaxBodyLength { get; init; } = ProtocolLimits.DefaultMaxBodyLength;

    /// <summary>The largest WebSocket text message accepted from the server; default 128 KiB.</summary>
    public int MaxTextMessageLength { get; init; } = ProtocolLimits.DefaultMaxTextMessageLength;

    /// <summary>Throws when a setting cannot work, so a mistake shows at construction rather than on the wire.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoint))
        {
            throw new ArgumentException("The endpoint is required.", nameof(Endpoint));
        }

        if (Transport is < DeviceTransportKind.Tcp or > DeviceTransportKind.WebSocketGalopush)
        {
            throw new ArgumentOutOfRangeException(nameof(Transport), Transport, "Unknown transport.");
        }

        if (!BodyEncodings.IsDefined(BodyEncoding))
        {
            throw new ArgumentOutOfRangeException(nameof(BodyEncoding), BodyEncoding, "Unknown body encoding.");
        }

        _ = Transport == DeviceTransportKind.Tcp ? DeviceEndpoint.ParseTcp(Endpoint).Host : DeviceEndpoint.ParseWebSocket(Endpoint).Host;
        if (PinnedCertificateSha256 is not null)
        {
            _ = CertificatePin.Parse(PinnedCertificateSha256);
        }

        RequireRegisterField(UserId, nameof(UserId));
        RequireRegisterField(Token, nameof(Token));
        RequirePositive(RequestTimeout, nameof(RequestTimeout));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(ReconnectInitialDelay, nameof(ReconnectInitialDelay));
        if (ReconnectMaxDelay < ReconnectInitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectMaxDelay), ReconnectMaxDelay, "Must not be below the initial delay.");
        }

        if (HeartbeatInterval < TimeSpan.Zero && HeartbeatInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "Must not be negative.");
        }

        if (GapSyncDelay < TimeSpan.Zero && GapSyncDelay != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(GapSyncDelay), GapSyncDelay, "Must not be negative.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(DuplicateWindow, 1, nameof(DuplicateWindow));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBodyLength, nameof(MaxBodyLength));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTextMessageLength, nameof(MaxTextMessageLength));
    }

    private static void RequireRegisterField(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length > ProtocolLimits.RegisterFieldLength || value.AsSpan().ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            throw new ArgumentException($"Must be printable ASCII of at most {ProtocolLimits.RegisterFieldLength} characters.", name);
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }
}
