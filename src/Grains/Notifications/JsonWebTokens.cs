using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AppMsg.Grains.Notifications;

/// <summary>
/// Compact JWS signing (RFC 7515) for the three providers: ES256 for the APNs provider token and the VAPID
/// token (one signer for both), RS256 for the FCM JWT-bearer grant.
/// </summary>
public static class JsonWebTokens
{
    /// <summary>An ES256 token: the signature is the raw 64-byte r||s (IEEE P1363), as JWS requires.</summary>
    public static string SignEs256(ECDsa key, object header, object claims) =>
        Sign(header, claims, input => key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>An RS256 token (RSASSA-PKCS1-v1_5 with SHA-256).</summary>
    public static string SignRs256(RSA key, object header, object claims) =>
        Sign(header, claims, input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private static string Sign(object header, object claims, Func<byte[], byte[]> sign)
    {
        var signingInput = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signingInput + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)));
    }
}
