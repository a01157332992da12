using AppMsg.Protocol;

namespace AppMsg.Testing;

/// <summary>A frame a test device received, body decoded.</summary>
public sealed record ReceivedFrame(MessageType Type, uint Tid, BodyEncoding Encoding, byte[] Body)
{
    /// <summary>The leading code byte of a response body.</summary>
    public byte Code => Body.Length > 0 ? Body[0] : throw new InvalidDataException($"{Type} has an empty body");

    /// <summary>The JSON text after the code byte (REGRESP, IMRESP, SYNCRESP).</summary>
    public string JsonAfterCode => Body.Length > 1 ? System.Text.Encoding.UTF8.GetString(Body, 1, Body.Length - 1) : "";
}
