using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AppMsg.Edge.Media;

/// <summary>
/// Signed media URLs: <c>/v1/media/{id}?exp={unix seconds}&amp;sig={base64url HMAC-SHA256(key, id + "\n" + exp)}</c>.
/// Whoever holds one may fetch the media until it expires, without a credential.
/// </summary>
public sealed class MediaUrlSigner(EdgeSettings edge, TimeProvider time)
{
    private readonly MediaSettings settings = edge.Media;
    private readonly byte[] key = edge.Media.UrlKey ?? Derive(edge.AdminKey) ?? RandomNumberGenerator.GetBytes(32);

    /// <summary><c>APPMSG_MEDIA_URL_KEY</c>, else a key derived from <c>APPMSG_SECRETS_KEY</c>; null when neither is set.</summary>
    public static byte[]? KeyFrom(string? mediaUrlKey, string? secretsKey)
    {
        if (!string.IsNullOrEmpty(mediaUrlKey))
        {
            try
            {
                var bytes = Convert.FromBase64String(mediaUrlKey);
                return bytes.Length >= 16 ? bytes : throw new Hosting.StartupException("APPMSG_MEDIA_URL_KEY must be base64 of at least 16 bytes", Hosting.ExitCodes.Configuration);
            }
            catch (FormatException)
            {
                throw new Hosting.StartupException("APPMSG_MEDIA_URL_KEY must be base64 of at least 16 bytes", Hosting.ExitCodes.Configuration);
            }
        }

        return Derive(secretsKey);
    }

    // A key of its own, so that a signature never doubles as anything made with the parent key.
    private static byte[]? Derive(string? parent) =>
        string.IsNullOrEmpty(parent) ? null : HMACSHA256.HashData(Encoding.UTF8.GetBytes(parent), "appmsg media url key v1"u8);

    /// <summary>The path and query of a signed URL for <paramref name="mediaId"/>, valid for the configured lifetime.</summary>
    public string PathFor(string mediaId)
    {
        var expires = time.GetUtcNow().Add(settings.UrlLifetime).ToUnixTimeSeconds();
        return $"/v1/media/{mediaId}?exp={expires.ToString(CultureInfo.InvariantCulture)}&sig={Sign(mediaId, expires)}";
    }

    /// <summary>True when <paramref name="signature"/> is this edge's signature of the id and expiry, and the expiry has not passed.</summary>
    public bool IsValid(string mediaId, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var exp) || string.IsNullOrEmpty(signature) || signature.Length > 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(mediaId, exp));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given) && exp > time.GetUtcNow().ToUnixTimeSeconds();
    }

    private string Sign(string mediaId, long expires)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{mediaId}\n{expires.ToString(CultureInfo.InvariantCulture)}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
