using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AppMsg.Protocol;

/// <summary>Applies and removes the body encodings of binary frames, in place.</summary>
public static class BodyEncodings
{
    /// <summary>Whether <paramref name="value"/> is one of the four defined encodings.</summary>
    public static bool IsDefined(BodyEncoding value) => (uint)value <= (uint)BodyEncoding.RingXor;

    /// <summary>Encodes <paramref name="body"/> in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="encoding"/> is not defined.</exception>
    public static void Encode(Span<byte> body, BodyEncoding encoding)
    {
        switch (encoding)
        {
            case BodyEncoding.None:
                break;
            case BodyEncoding.Not:
                Invert(body);
                break;
            case BodyEncoding.PairSwap:
                SwapPairs(body);
                break;
            case BodyEncoding.RingXor:
                RingXorEncode(body);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown body encoding.");
        }
    }

    /// <summary>Decodes <paramref name="body"/> in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="encoding"/> is not defined.</exception>
    public static void Decode(Span<byte> body, BodyEncoding encoding)
    {
        switch (encoding)
        {
            case BodyEncoding.None:
                break;
            case BodyEncoding.Not:
                Invert(body);
                break;
            case BodyEncoding.PairSwap:
                SwapPairs(body);
                break;
            case BodyEncoding.RingXor:
                RingXorDecode(body);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown body encoding.");
        }
    }

    private static void Invert(Span<byte> body)
    {
        var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(body);
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = ~vectors[i];
        }

        for (var i = vectors.Length * Vector<byte>.Count; i < body.Length; i++)
        {
            body[i] = (byte)~body[i];
        }
    }

    private static void SwapPairs(Span<byte> body)
    {
        // Swapping the bytes of each pair is reversing the byte order of each 16-bit word;
        // the runtime's bulk version of that is vectorised.
        var words = MemoryMarshal.Cast<byte, ushort>(body);
        BinaryPrimitives.ReverseEndianness(words, words);
    }

    private static void RingXorEncode(Span<byte> body)
    {
        if (body.Length < 2)
        {
            return;
        }

        var previous = body[0];
        for (var i = 1; i < body.Length; i++)
        {
            previous ^= body[i];
            body[i] = previous;
        }

        body[0] ^= previous;
    }

    private static void RingXorDecode(Span<byte> body)
    {
        if (body.Length < 2)
        {
            return;
        }

        body[0] ^= body[^1];
        for (var i = body.Length - 1; i > 0; i--)
        {
            body[i] ^= body[i - 1];
        }
    }
}
