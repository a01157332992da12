namespace AppMsg.Client;

/// <summary>Where a <see cref="DeviceClient"/> is in its life.</summary>
public enum DeviceClientState
{
    /// <summary>No connection: not connected yet, or the last one ended and the client does not reconnect.</summary>
    Disconnected = 0,

    /// <summary>Opening a connection and registering, first or again after a disconnect.</summary>
    Connecting = 1,

    /// <summary>Connected and registered: requests can be sent and events arrive.</summary>
    Registered = 2,

    /// <summary>Disposed; the client does nothing more.</summary>
    Closed = 3,
}
