using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Security;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM: <c>aesgcm1:&lt;key id&gt;:&lt;base64 of nonce, ciphertext, tag&gt;</c>, where the key id
/// (the first 8 hex digits of the key's SHA-256) names the key, so that a rotated key
/// (<see cref="SecretsOptions.PreviousKey"/>) still decrypts. A purpose string (the owning grain, say) is
/// authenticated with the ciphertext, so a protected value copied to another record does not decrypt.
/// </summary>
public sealed class SecretProtector(IOptions<SecretsOptions> options)
{
    /// <summary>The scheme prefix of protected values; tokens and secrets in clear never contain a colon.</summary>
    public const string Scheme = "aesgcm1";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Whether a key to encrypt with is configured.</summary>
    public bool CanProtect => options.Value.CurrentKey is not null;

    /// <summary>Whether <paramref name="stored"/> is protected under the current key (else it should be written again).</summary>
    public bool IsCurrent(string stored) =>
        options.Value.CurrentKey is { } key && stored.StartsWith($"{Scheme}:{KeyId(key)}:", StringComparison.Ordinal);

    /// <summary>The protected form of <paramref name="secret"/>.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when <c>APPMSG_SECRETS_KEY</c> is not set.</exception>
    public string Protect(string secret, string purpose)
    {
        var key = options.Value.CurrentKey
            ?? throw new AppMsgException(ErrorCodes.Unavailable, "the silo cannot store secrets: APPMSG_SECRETS_KEY is not set");
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(purpose));
        return $"{Scheme}:{KeyId(key)}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>The secret in <paramref name="stored"/>; a value without the scheme is one stored in clear before encryption existed.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when no configured key has the value's key id, or it does not decrypt.</exception>
    public string Unprotect(string stored, string purpose)
    {
        var parts = stored.Split(':');
        if (parts.Length != 3 || parts[0] != Scheme)
        {
            return stored;
        }

        var key = new[] { options.Value.CurrentKey, options.Value.PreviousKey }.FirstOrDefault(k => k is not null && KeyId(k) == parts[1])
            ?? throw new AppMsgException(ErrorCodes.Unavailable, $"a stored secret is encrypted under key {parts[1]}, which is neither APPMSG_SECRETS_KEY nor APPMSG_SECRETS_KEY_PREVIOUS");
        var sealedBytes = Convert.FromBase64String(parts[2]);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain, Encoding.UTF8.GetBytes(purpose));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new AppMsgException(ErrorCodes.Unavailable, $"a stored secret under key {parts[1]} does not decrypt (altered, or copied from another record)");
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The first 8 hex digits of the key's SHA-256: names the key without revealing it.</summary>
    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];
}
