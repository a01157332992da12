using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>The outbound side of one device connection, in the framing the terminal chose.</summary>
public abstract class DeviceChannel
{
    /// <summary>The body encoding for binary frames, fixed by the terminal's REGISTER.</summary>
    public BodyEncoding Encoding { get; set; }

    /// <summary>A short name of the transport, for logs.</summary>
    public abstract string Transport { get; }

    public abstract ValueTask SendRegisterResponseAsync(uint tid, RegisterResultCode code, ReadOnlyMemory<byte> json);

    public abstract ValueTask SendPongAsync(uint tid, PongCode code);

    public abstract ValueTask SendKickAsync(uint tid, KickReason reason);

    public abstract ValueTask SendPushAsync(uint tid, PushDelivery delivery, byte flag);

    public abstract ValueTask SendImResponseAsync(uint tid, ImResultCode code, ReadOnlyMemory<byte> json);

    public abstract ValueTask SendSyncResponseAsync(uint tid, SyncResultCode code, bool complete);

    /// <summary>Sends a CALLBACK whose payload is the JSON <c>{"id","payload"}</c>.</summary>
    public abstract ValueTask SendCallbackAsync(uint tid, ReadOnlyMemory<byte> payload);
}
