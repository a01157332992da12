using System.Buffers;
using System.Net.WebSockets;
using AppMsg.Protocol;

namespace AppMsg.Edge.Devices;

/// <summary>
/// The JSON text form (<c>{"cmd","tid","data"}</c>), plain or in galopush's web framing (base64 of the
/// ring-XOR'd JSON), as the terminal spoke first.
/// </summary>
public sealed class WebSocketJsonChannel(WebSocket socket, bool galopushFraming) : DeviceChannel
{
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly PooledBufferWriter json = new();
    private readonly PooledBufferWriter wrapped = new();

    public override string Transport => galopushFraming ? "ws-galopush" : "ws-json";

    public override ValueTask SendRegisterResponseAsync(uint tid, RegisterResultCode code, ReadOnlyMemory<byte> extra) =>
        SendAsync((tid, code, extra), static (w, s) => JsonFrameCodec.WriteRegisterResponse(w, s.tid, s.code, s.extra.Span));

    public override ValueTask SendPongAsync(uint tid, PongCode code) =>
        SendAsync((tid, code), static (w, s) => JsonFrameCodec.WritePong(w, s.tid, s.code));

    public override ValueTask SendKickAsync(uint tid, KickReason reason) =>
        SendAsync((tid, reason), static (w, s) => JsonFrameCodec.WriteKick(w, s.tid, s.reason));

    public override ValueTask SendPushAsync(uint tid, PushDelivery delivery, byte flag) =>
        SendAsync((tid, delivery, flag), static (w, s) =>
        {
            if (s.delivery.AsIm)
            {
                JsonFrameCodec.WriteImDown(w, s.tid, s.flag, s.delivery.Envelope.Span);
            }
            else
            {
                JsonFrameCodec.WritePush(w, s.tid, s.delivery.Offline, s.flag, s.delivery.Envelope.Span);
            }
        });

    public override ValueTask SendImResponseAsync(uint tid, ImResultCode code, ReadOnlyMemory<byte> json) =>
        SendAsync((tid, code, json), static (w, s) => JsonFrameCodec.WriteImResponse(w, s.tid, s.code, s.json.Span));

    public override ValueTask SendSyncResponseAsync(uint tid, SyncResultCode code, bool complete) =>
        SendAsync((tid, code, complete), static (w, s) => JsonFrameCodec.WriteSyncResponse(w, s.tid, s.code, s.complete ? "{\"complete\":true}"u8 : "{\"complete\":false}"u8));

    public override ValueTask SendCallbackAsync(uint tid, ReadOnlyMemory<byte> payload) =>
        SendAsync((tid, payload), static (w, s) => JsonFrameCodec.WriteCallback(w, s.tid, s.payload.Span));

    private async ValueTask SendAsync<TState>(TState state, Action<IBufferWriter<byte>, TState> write)
    {
        await writeLock.WaitAsync();
        try
        {
            write(json, state);
            var message = json.WrittenMemory;
            if (galopushFraming)
            {
                GalopushWebFraming.Wrap(json.WrittenSpan, wrapped);
                message = wrapped.WrittenMemory;
            }

            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            json.Release();
            wrapped.Release();
            writeLock.Release();
        }
    }
}
