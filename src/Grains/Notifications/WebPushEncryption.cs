using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Web Push message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188): one record, an
/// ephemeral P-256 key per message, the key id in the header being the ephemeral public key.
/// </summary>
public static class WebPushEncryption
{
    /// <summary>The record size announced in the header (the whole body is one record, far smaller).</summary>
    public const int RecordSize = 4096;

    /// <summary>Salt, record size, key id length, key id (the ephemeral public key).</summary>
    private const int HeaderLength = 16 + 4 + 1 + 65;

    /// <summary>The longest plaintext whose body (header, plaintext, delimiter, tag) is one record.</summary>
    public const int MaxPlaintext = RecordSize - HeaderLength - 1 - 16;

    private static readonly byte[] KeyInfoPrefix = Encoding.ASCII.GetBytes("WebPush: info\0");
    private static readonly byte[] CekInfo = Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0");
    private static readonly byte[] NonceInfo = Encoding.ASCII.GetBytes("Content-Encoding: nonce\0");

    /// <summary>
    /// The body for <paramref name="plaintext"/> to the subscription's <paramref name="userAgentPublicKey"/> (65 bytes)
    /// and <paramref name="authSecret"/> (16 bytes). <paramref name="ephemeral"/> and <paramref name="salt"/> are
    /// fresh unless given (tests reproduce the RFC's example with them).
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] userAgentPublicKey, byte[] authSecret, ECDiffieHellman? ephemeral = null, byte[]? salt = null)
    {
        if (plaintext.Length > MaxPlaintext)
        {
            throw new ArgumentException("a Web Push payload must fit one 4096-byte record", nameof(plaintext));
        }

        using var created = ephemeral is null ? ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256) : null;
        var serverKey = ephemeral ?? created!;
        salt ??= RandomNumberGenerator.GetBytes(16);
        var serverPublic = PushKeys.UncompressedPoint(serverKey.ExportParameters(false));
        using var userAgent = ECDiffieHellman.Create(PushKeys.PublicPoint(userAgentPublicKey));
        var sharedSecret = serverKey.DeriveRawSecretAgreement(userAgent.PublicKey);

        // IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
        var keyInfo = new byte[KeyInfoPrefix.Length + 65 + 65];
        KeyInfoPrefix.CopyTo(keyInfo, 0);
        userAgentPublicKey.CopyTo(keyInfo, KeyInfoPrefix.Length);
        serverPublic.CopyTo(keyInfo, KeyInfoPrefix.Length + 65);
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, authSecret, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var contentKey = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, CekInfo);
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, NonceInfo);

        // header: salt (16) || rs (4) || idlen (1) || keyid (the server's public key, 65); then the one record.
        var body = new byte[HeaderLength + plaintext.Length + 1 + 16];
        salt.CopyTo(body, 0);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(16), RecordSize);
        body[20] = 65;
        serverPublic.CopyTo(body, 21);
        var padded = new byte[plaintext.Length + 1];
        plaintext.CopyTo(padded);
        padded[^1] = 2; // the last record's delimiter
        using var aes = new AesGcm(contentKey, 16);
        aes.Encrypt(nonce, padded, body.AsSpan(HeaderLength, padded.Length), body.AsSpan(HeaderLength + padded.Length, 16));
        return body;
    }
}
