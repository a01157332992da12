using System.Net.WebSockets;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>
/// The JSON text form (<c>{"cmd","tid","data"}</c>), plain or in galopush's web framing (base64 of the
/// ring-XOR'd JSON), as the terminal spoke first; one frame per message, a batch in one write.
/// </summary>
public sealed class WebSocketJsonChannel(WebSocketSender sender, bool galopushFraming) : DeviceChannel
{
    public override string Transport => galopushFraming ? "ws-galopush" : "ws-json";

    public override void SendRegisterResponse(uint tid, RegisterResultCode code, ReadOnlyMemory<byte> extra) =>
        EnqueueEncoded((tid, code, extra), static (w, s) => JsonFrameCodec.WriteRegisterResponse(w, s.tid, s.code, s.extra.Span));

    public override void SendPong(uint tid, PongCode code) =>
        EnqueueEncoded((tid, code), static (w, s) => JsonFrameCodec.WritePong(w, s.tid, s.code));

    public override void SendKick(uint tid, KickReason reason) =>
        EnqueueEncoded((tid, reason), static (w, s) => JsonFrameCodec.WriteKick(w, s.tid, s.reason));

    public override void SendImResponse(uint tid, ImResultCode code, ReadOnlyMemory<byte> json) =>
        EnqueueEncoded((tid, code, json), static (w, s) => JsonFrameCodec.WriteImResponse(w, s.tid, s.code, s.json.Span));

    public override void SendSyncResponse(uint tid, SyncResultCode code, bool complete) =>
        EnqueueEncoded((tid, code, complete), static (w, s) => JsonFrameCodec.WriteSyncResponse(w, s.tid, s.code, s.complete ? "{\"complete\":true}"u8 : "{\"complete\":false}"u8));

    public override void SendCallback(uint tid, ReadOnlyMemory<byte> payload) =>
        EnqueueEncoded((tid, payload), static (w, s) => JsonFrameCodec.WriteCallback(w, s.tid, s.payload.Span));

    protected override byte[] Finish(ReadOnlySpan<byte> encoded)
    {
        if (!galopushFraming)
        {
            return encoded.ToArray();
        }

        var wrapped = new PooledBufferWriter();
        try
        {
            GalopushWebFraming.Wrap(encoded, wrapped);
            return wrapped.WrittenSpan.ToArray();
        }
        finally
        {
            wrapped.Release();
        }
    }

    protected override async ValueTask WriteAsync(ReadOnlyMemory<OutboundFrame> frames)
    {
        var json = new PooledBufferWriter();
        var wrapped = new PooledBufferWriter();
        try
        {
            for (var i = 0; i < frames.Length; i++)
            {
                var frame = frames.Span[i];
                ReadOnlyMemory<byte> message = frame.Encoded;
                if (frame.Push is { } push)
                {
                    WritePush(json, frame.Tid, push, frame.Flag);
                    message = json.WrittenMemory;
                    if (galopushFraming)
                    {
                        GalopushWebFraming.Wrap(json.WrittenSpan, wrapped);
                        message = wrapped.WrittenMemory;
                    }
                }

                await sender.SendAsync(message, WebSocketMessageType.Text, moreFollow: i < frames.Length - 1);
                json.Clear();
                wrapped.Clear();
            }
        }
        finally
        {
            sender.EndBatch();
            json.Release();
            wrapped.Release();
        }
    }

    private static void WritePush(PooledBufferWriter json, uint tid, PushDelivery push, byte flag)
    {
        if (push.AsIm)
        {
            JsonFrameCodec.WriteImDown(json, tid, flag, push.Envelope.Span);
        }
        else
        {
            JsonFrameCodec.WritePush(json, tid, push.Offline, flag, push.Envelope.Span);
        }
    }
}
