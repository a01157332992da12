using AppMsg.Protocol;

namespace AppMsg.Testing;

/// <summary>Conveniences for tests that play a device.</summary>
public static class DeviceExtensions
{
    /// <summary>Answers a PUSH (PUSHRESP) or IM (IMRESP) with code 0 on its TID.</summary>
    public static Task AcknowledgeAsync(this RawDevice device, ReceivedFrame frame) =>
        device.SendFrameAsync(frame.Type == MessageType.Im ? MessageType.ImResp : MessageType.PushResp, frame.Tid, new byte[] { 0 });

    /// <summary>The envelope of a PUSH (after offline u16 and flag u8) or an IM down (after flag u8), as JSON.</summary>
    public static System.Text.Json.JsonElement Envelope(this ReceivedFrame frame) =>
        System.Text.Json.JsonDocument.Parse(frame.Body.AsMemory(frame.Type == MessageType.Push ? 3 : 1)).RootElement.Clone();

    /// <summary>The offline field of a PUSH: 0 live, non-zero replayed.</summary>
    public static int Offline(this ReceivedFrame frame) => frame.Body[0] << 8 | frame.Body[1];
}
