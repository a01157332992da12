using System.Globalization;
using System.Security.Cryptography;

namespace AppMsg.Grains.Security;

/// <summary>
/// Salted PBKDF2-SHA256 password hashes in the form <c>pbkdf2-sha256$iterations$salt$hash</c> (base64),
/// so that the iteration count can rise without invalidating stored hashes.
/// </summary>
public static class PasswordHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="stored"/> has this hasher's form (a positive iteration count, base64 salt and hash).</summary>
    public static bool IsWellFormed(string stored)
    {
        var parts = stored.Split('$');
        return parts.Length == 4 && parts[0] == Scheme
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) && iterations > 0
            && IsBase64(parts[2]) && IsBase64(parts[3]);
    }

    /// <summary>The iterations recorded in <paramref name="stored"/>, or 0 when it is malformed.</summary>
    public static int Iterations(string stored) =>
        IsWellFormed(stored) ? int.Parse(stored.Split('$')[1], CultureInfo.InvariantCulture) : 0;

    public static bool Verify(string password, string stored)
    {
        if (!IsWellFormed(stored))
        {
            return false;
        }

        var parts = stored.Split('$');
        var iterations = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool IsBase64(string text) => text.Length > 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
