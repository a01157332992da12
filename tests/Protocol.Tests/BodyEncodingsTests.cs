namespace AppMsg.Protocol.Tests;

public class BodyEncodingsTests
{
    public static TheoryData<BodyEncoding, byte[], byte[]> HandVectors => new()
    {
        { BodyEncoding.None, [1, 2, 3], [1, 2, 3] },
        { BodyEncoding.Not, [0x00, 0xFF, 0x0F, 0xA5], [0xFF, 0x00, 0xF0, 0x5A] },
        { BodyEncoding.PairSwap, [1, 2, 3, 4], [2, 1, 4, 3] },
        { BodyEncoding.PairSwap, [1, 2, 3, 4, 5], [2, 1, 4, 3, 5] },
        { BodyEncoding.PairSwap, [7], [7] },
        // b1 = 1^2 = 3, b2 = 3^3 = 0, then b0 = 1^0 = 1.
        { BodyEncoding.RingXor, [1, 2, 3], [1, 3, 0] },
        // b1 = 0x20^0x10 = 0x30, b2 = 0x30^0x30 = 0, b3 = 0x40^0 = 0x40, then b0 = 0x10^0x40 = 0x50.
        { BodyEncoding.RingXor, [0x10, 0x20, 0x30, 0x40], [0x50, 0x30, 0x00, 0x40] },
        // b1 = 9^5 = 12, then b0 = 5^12 = 9.
        { BodyEncoding.RingXor, [5, 9], [9, 12] },
        { BodyEncoding.RingXor, [42], [42] },
        { BodyEncoding.RingXor, [], [] },
    };

    [Theory]
    [MemberData(nameof(HandVectors))]
    public void Encode_matches_hand_computed_vector(BodyEncoding encoding, byte[] plain, byte[] encoded)
    {
        var buffer = plain.ToArray();
        BodyEncodings.Encode(buffer, encoding);
        Assert.Equal(encoded, buffer);
    }

    [Theory]
    [MemberData(nameof(HandVectors))]
    public void Decode_inverts_hand_computed_vector(BodyEncoding encoding, byte[] plain, byte[] encoded)
    {
        var buffer = encoded.ToArray();
        BodyEncodings.Decode(buffer, encoding);
        Assert.Equal(plain, buffer);
    }

    [Theory]
    [InlineData(BodyEncoding.None)]
    [InlineData(BodyEncoding.Not)]
    [InlineData(BodyEncoding.PairSwap)]
    [InlineData(BodyEncoding.RingXor)]
    public void Round_trip_restores_random_data_of_every_length_up_to_300(BodyEncoding encoding)
    {
        var random = new Random(300 + (int)encoding);
        for (var length = 0; length <= 300; length++)
        {
            var plain = new byte[length];
            random.NextBytes(plain);
            var buffer = plain.ToArray();

            BodyEncodings.Encode(buffer, encoding);
            Assert.Equal(Reference(plain, encoding), buffer);
            BodyEncodings.Decode(buffer, encoding);

            Assert.Equal(plain, buffer);
        }
    }

    [Theory]
    [InlineData(BodyEncoding.Not)]
    [InlineData(BodyEncoding.PairSwap)]
    public void Self_inverse_encodings_decode_by_encoding_again(BodyEncoding encoding)
    {
        var plain = new byte[257];
        new Random(5).NextBytes(plain);
        var buffer = plain.ToArray();

        BodyEncodings.Encode(buffer, encoding);
        BodyEncodings.Encode(buffer, encoding);

        Assert.Equal(plain, buffer);
    }

    [Fact]
    public void Odd_length_pair_swap_keeps_last_byte()
    {
        byte[] buffer = [10, 11, 12, 13, 14, 15, 16];
        BodyEncodings.Encode(buffer, BodyEncoding.PairSwap);
        Assert.Equal(new byte[] { 11, 10, 13, 12, 15, 14, 16 }, buffer);
    }

    [Fact]
    public void Unknown_encoding_is_a_programmer_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyEncodings.Encode(new byte[2], (BodyEncoding)4));
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyEncodings.Decode(new byte[2], (BodyEncoding)4));
    }

    /// <summary>The encodings written straight from the protocol text, one byte at a time.</summary>
    private static byte[] Reference(byte[] plain, BodyEncoding encoding)
    {
        var b = plain.ToArray();
        var n = b.Length;
        switch (encoding)
        {
            case BodyEncoding.Not:
                for (var i = 0; i < n; i++)
                {
                    b[i] = (byte)~b[i];
                }

                break;
            case BodyEncoding.PairSwap:
                for (var i = 0; i + 1 < n; i += 2)
                {
                    (b[i], b[i + 1]) = (b[i + 1], b[i]);
                }

                break;
            case BodyEncoding.RingXor when n >= 2:
                for (var i = 0; i <= n - 2; i++)
                {
                    b[i + 1] ^= b[i];
                }

                b[0] ^= b[n - 1];
                break;
        }

        return b;
    }
}
