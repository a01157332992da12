using System.Buffers.Binary;

namespace AppMsg.Protocol;

/// <summary>The binary PUSH body: offline u16, flag u8, then the envelope (the terminal's side parses it).</summary>
public static class PushBody
{
    /// <summary>The size of the fields before the envelope.</summary>
    public const int PrefixLength = 3;

    /// <summary>Splits a decoded PUSH body; a body shorter than 3 bytes is an error.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body, out ushort offline, out byte flag, out ReadOnlySpan<byte> envelope, out ProtocolError error)
    {
        if (body.Length < PrefixLength)
        {
            offline = 0;
            flag = 0;
            envelope = default;
            error = ProtocolErrors.PushTooShort;
            return false;
        }

        offline = BinaryPrimitives.ReadUInt16BigEndian(body);
        flag = body[2];
        envelope = body[PrefixLength..];
        error = default;
        return true;
    }
}
