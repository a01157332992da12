using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>Binary frames (section 1 of the protocol), whatever carries them.</summary>
public abstract class BinaryDeviceChannel : DeviceChannel
{
    public override void SendRegisterResponse(uint tid, RegisterResultCode code, ReadOnlyMemory<byte> json) =>
        EnqueueEncoded((tid, code, json, Encoding), static (w, s) => FrameWriter.WriteRegisterResponse(w, s.Encoding, s.tid, s.code, s.json.Span));

    public override void SendPong(uint tid, PongCode code) =>
        EnqueueEncoded((tid, code, Encoding), static (w, s) => FrameWriter.WritePong(w, s.Encoding, s.tid, s.code));

    public override void SendKick(uint tid, KickReason reason) =>
        EnqueueEncoded((tid, reason, Encoding), static (w, s) => FrameWriter.WriteKick(w, s.Encoding, s.tid, s.reason));

    public override void SendImResponse(uint tid, ImResultCode code, ReadOnlyMemory<byte> json) =>
        EnqueueEncoded((tid, code, json, Encoding), static (w, s) => FrameWriter.WriteImResponse(w, s.Encoding, s.tid, s.code, s.json.Span));

    public override void SendSyncResponse(uint tid, SyncResultCode code, bool complete) =>
        EnqueueEncoded((tid, code, complete, Encoding), static (w, s) => FrameWriter.WriteSyncResponse(w, s.Encoding, s.tid, s.code, s.complete ? "{\"complete\":true}"u8 : "{\"complete\":false}"u8));

    public override void SendCallback(uint tid, ReadOnlyMemory<byte> payload) =>
        EnqueueEncoded((tid, payload, Encoding), static (w, s) => FrameWriter.WriteCallback(w, s.Encoding, s.tid, s.payload.Span));
}
