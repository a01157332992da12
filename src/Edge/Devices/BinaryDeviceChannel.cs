using System.Buffers;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>Binary frames (section 1 of the protocol), whatever carries them.</summary>
public abstract class BinaryDeviceChannel : DeviceChannel
{
    public override ValueTask SendRegisterResponseAsync(uint tid, RegisterResultCode code, ReadOnlyMemory<byte> json) =>
        WriteAsync((tid, code, json, Encoding), static (w, s) => FrameWriter.WriteRegisterResponse(w, s.Encoding, s.tid, s.code, s.json.Span));

    public override ValueTask SendPongAsync(uint tid, PongCode code) =>
        WriteAsync((tid, code, Encoding), static (w, s) => FrameWriter.WritePong(w, s.Encoding, s.tid, s.code));

    public override ValueTask SendKickAsync(uint tid, KickReason reason) =>
        WriteAsync((tid, reason, Encoding), static (w, s) => FrameWriter.WriteKick(w, s.Encoding, s.tid, s.reason));

    public override ValueTask SendPushAsync(uint tid, PushDelivery delivery, byte flag) =>
        WriteAsync((tid, frame: delivery.FrameFor(Encoding, flag)), static (w, s) => s.frame.WriteTo(w, s.tid));

    public override ValueTask SendImResponseAsync(uint tid, ImResultCode code, ReadOnlyMemory<byte> json) =>
        WriteAsync((tid, code, json, Encoding), static (w, s) => FrameWriter.WriteImResponse(w, s.Encoding, s.tid, s.code, s.json.Span));

    public override ValueTask SendSyncResponseAsync(uint tid, SyncResultCode code, bool complete) =>
        WriteAsync((tid, code, complete, Encoding), static (w, s) => FrameWriter.WriteSyncResponse(w, s.Encoding, s.tid, s.code, s.complete ? "{\"complete\":true}"u8 : "{\"complete\":false}"u8));

    public override ValueTask SendCallbackAsync(uint tid, ReadOnlyMemory<byte> payload) =>
        WriteAsync((tid, payload, Encoding), static (w, s) => FrameWriter.WriteCallback(w, s.Encoding, s.tid, s.payload.Span));

    /// <summary>Writes one frame with <paramref name="write"/> and sends it; callers may be concurrent.</summary>
    protected abstract ValueTask WriteAsync<TState>(TState state, Action<IBufferWriter<byte>, TState> write);
}
