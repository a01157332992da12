using AppMsg.Protocol;

namespace AppMsg.Client.Tests.Fake;

/// <summary>A frame the device sent, with its body decoded.</summary>
internal sealed record ReceivedFrame(MessageType Type, uint Tid, BodyEncoding Encoding, byte[] Body)
{
    public byte Code => Body[0];

    public string Text(int skip = 0) => System.Text.Encoding.UTF8.GetString(Body.AsSpan(skip));
}
