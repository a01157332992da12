using System.Security.Cryptography;
using System.Text;

namespace AppMsg.Grains.Security;

/// <summary>Random credentials (tokens, app secrets) and their stored form.</summary>
public static class Secrets
{
    /// <summary>The length of tokens and app secrets: 32 ASCII characters (fits REGISTER's token field).</summary>
    public const int Length = 32;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new random credential of <see cref="Length"/> letters and digits (about 190 bits).</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The stored form of a high-entropy credential: lower-case hex SHA-256.</summary>
    public static string Hash(string credential) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    /// <summary>Compares a credential with a stored hash in constant time.</summary>
    public static bool Matches(string credential, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(credential)), Encoding.ASCII.GetBytes(storedHash));
}
