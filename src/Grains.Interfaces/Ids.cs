using System.Security.Cryptography;

namespace AppMsg;

/// <summary>
/// Generates AppMsg ids: 16 lower-case Crockford base32 characters, a 48-bit millisecond clock then
/// 32 random bits, so ids sort by creation time. One fixed length and one case mean two distinct ids
/// never collide in Orleans' storage, which reads hex-looking keys as numbers.
/// </summary>
public static class Ids
{
    /// <summary>The length of every generated id.</summary>
    public const int Length = 16;

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>A new id.</summary>
    public static string New()
    {
        var time = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFFUL;
        var random = (ulong)(uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        // 80 bits: the clock in the high 48, randomness in the low 32, written 5 bits at a time.
        var high = time >> 16;                                  // 32 bits
        var low = ((time & 0xFFFF) << 32) | random;             // 48 bits
        return string.Create(Length, (high, low), static (span, value) =>
        {
            var (h, l) = value;
            for (var i = Length - 1; i >= 0; i--)
            {
                span[i] = Alphabet[(int)(l & 31)];
                l = (l >> 5) | ((h & 31) << 43);
                h >>= 5;
            }
        });
    }

    /// <summary>True when <paramref name="value"/> has the form of a generated id.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
