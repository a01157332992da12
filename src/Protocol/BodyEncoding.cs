namespace AppMsg.Protocol;

/// <summary>The transformation applied to a binary frame's body (the top two bits of the frame's first byte).</summary>
public enum BodyEncoding : byte
{
    /// <summary>The body is sent as is.</summary>
    None = 0,
    /// <summary>Every byte is bitwise inverted.</summary>
    Not = 1,
    /// <summary>Bytes are swapped pairwise (0 with 1, 2 with 3, ...); an odd last byte stays.</summary>
    PairSwap = 2,
    /// <summary>Each byte is XORed with the previous encoded byte, then the first with the last.</summary>
    RingXor = 3,
}
