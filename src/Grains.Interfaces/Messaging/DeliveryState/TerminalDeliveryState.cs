namespace AppMsg.Messaging.DeliveryState;

/// <summary>Where one message stands for one terminal of one recipient.</summary>
public enum TerminalDeliveryState
{
    /// <summary>Not acknowledged, and no session of the terminal is online: it gets the message on its next REGISTER or SYNC.</summary>
    Pending = 0,

    /// <summary>A session of the terminal is online and has been sent the message (live, or by replay); its acknowledgement is awaited.</summary>
    Delivered = 1,

    /// <summary>The terminal acknowledged it (its cursor passed the message).</summary>
    Acknowledged = 2,

    /// <summary>The TTL passed before the terminal acknowledged it: it is never sent.</summary>
    Expired = 3,

    /// <summary>
    /// Not acknowledged, but a push notification of it was sent to this terminal type's registered device (its id is
    /// then the entry's device id, and <c>at</c> when the provider took it): one entry per such device.
    /// </summary>
    Notified = 4,
}
