using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace AppMsg.Grains.Notifications;

/// <summary>Reads and checks the key material apps and browsers hand in; each failure names the field.</summary>
public static class PushKeys
{
    /// <summary>A P-256 private key from a <c>.p8</c> (PEM PKCS#8) text.</summary>
    public static ECDsa ApnsKey(string? pem, string field = "privateKey")
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            throw AppMsgException.Invalid(field, $"{field} is required: the .p8 key file's text");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException("not a P-256 key");
            }

            key.SignData([1], HashAlgorithmName.SHA256);
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw AppMsgException.Invalid(field, $"{field} must be the .p8 file's text: a PEM P-256 private key");
        }
    }

    /// <summary>An RSA private key from a service account's <c>private_key</c>.</summary>
    public static RSA RsaKey(string? pem, string field)
    {
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem ?? "");
            key.SignData([1], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw AppMsgException.Invalid(field, $"{field} must be a PEM RSA private key");
        }
    }

    /// <summary>The fields of an FCM service account JSON key file that sending needs.</summary>
    public static ServiceAccount ServiceAccount(string? json)
    {
        const string Field = "serviceAccount";
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json ?? "");
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw AppMsgException.Invalid(Field, "serviceAccount must be the service account's JSON key file");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw AppMsgException.Invalid(Field, "serviceAccount must be the service account's JSON key file");
        }

        string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw AppMsgException.Invalid($"{Field}.{name}", $"{Field}.{name} is required");

        var tokenUri = Text("token_uri");
        if (!Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw AppMsgException.Invalid($"{Field}.token_uri", $"{Field}.token_uri must be an http(s) URL");
        }

        var privateKey = Text("private_key");
        using (RsaKey(privateKey, $"{Field}.private_key"))
        {
        }

        return new ServiceAccount(Text("project_id"), Text("client_email"), privateKey, tokenUri);
    }

    /// <summary>A provider base URL override: absolute http(s), or null.</summary>
    public static string? Endpoint(string? endpoint)
    {
        if (endpoint is null)
        {
            return null;
        }

        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? endpoint.TrimEnd('/')
            : throw AppMsgException.Invalid("endpoint", "endpoint must be an absolute http(s) URL");
    }

    /// <summary>Decodes base64url (padding tolerated); null when it is not.</summary>
    public static byte[]? FromBase64Url(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.TrimEnd('=');
        try
        {
            return Base64Url.DecodeFromChars(trimmed);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>An uncompressed P-256 point (65 bytes, 0x04 || X || Y) as key parameters.</summary>
    public static ECParameters PublicPoint(ReadOnlySpan<byte> point) => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = point[1..33].ToArray(), Y = point[33..65].ToArray() },
    };

    /// <summary>The uncompressed point of a P-256 key.</summary>
    public static byte[] UncompressedPoint(ECParameters parameters)
    {
        var point = new byte[65];
        point[0] = 4;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        return point;
    }
}
