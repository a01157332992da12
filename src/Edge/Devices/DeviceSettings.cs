using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>Limits of device connections.</summary>
public sealed record DeviceSettings
{
    /// <summary>A connection must REGISTER within this time.</summary>
    public TimeSpan RegisterDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The heartbeat interval told to terminals in REGRESP.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>A registered connection silent for longer is closed (default twice the heartbeat).</summary>
    public TimeSpan IdleLimit { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>The largest binary frame body accepted.</summary>
    public int MaxBodyLength { get; init; } = ProtocolLimits.DefaultMaxBodyLength;

    /// <summary>The largest WebSocket text message accepted.</summary>
    public int MaxTextMessageLength { get; init; } = ProtocolLimits.DefaultMaxTextMessageLength;

    /// <summary>Device connections this edge accepts at once; more are refused with REGRESP 6.</summary>
    public int MaxConnections { get; init; } = 100_000;

    /// <summary>
    /// Frames a connection may have queued for sending; a connection that falls further behind (its reader stopped reading,
    /// and the transport's own buffers are full) is closed and gets the rest by replay when it returns.
    /// </summary>
    public int SendQueueLimit { get; init; } = 1_024;

    /// <summary>Bad-token REGISTERs one client address may make before it is locked out (see <see cref="RegisterThrottle"/>).</summary>
    public int RegisterFreeFailuresPerAddress { get; init; } = 20;

    /// <summary>A connection whose pending write has not completed for this long is closed (a reader that stopped reading).</summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromSeconds(10);
}
