namespace AppMsg.Edge.Devices;

/// <summary>
/// A frame waiting in a connection's send queue: a PUSH or IM down (the delivery's frame, encoded once per edge, and this
/// connection's TID), or any other frame already encoded for the connection's transport.
/// </summary>
public readonly record struct OutboundFrame(PushDelivery? Push, uint Tid, byte Flag, byte[]? Encoded)
{
    public static OutboundFrame Of(PushDelivery push, uint tid, byte flag) => new(push, tid, flag, null);

    public static OutboundFrame Of(byte[] encoded) => new(null, 0, 0, encoded);
}
