using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Client.Internal;

/// <summary>
/// <see cref="DeviceClientOptions.PinnedCertificateSha256"/>: the server's certificate is accepted when the SHA-256 of
/// the certificate (DER) or of its public key (SubjectPublicKeyInfo) is the pinned one, whatever its chain or name.
/// </summary>
internal static class CertificatePin
{
    /// <summary>Reads 64 hex digits, with or without colons (<c>openssl x509 -fingerprint -sha256</c> prints them with).</summary>
    /// <exception cref="ArgumentException">Not a SHA-256 in hex.</exception>
    public static byte[] Parse(string pin)
    {
        var hex = pin.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("Must be a SHA-256 in hex (64 digits, colons allowed).", nameof(DeviceClientOptions.PinnedCertificateSha256));
        }

        return Convert.FromHexString(hex);
    }

    /// <summary>The validation callback for the options: null (the platform's chain and name validation) without a pin.</summary>
    public static RemoteCertificateValidationCallback? Validator(DeviceClientOptions options)
    {
        if (options.PinnedCertificateSha256 is null)
        {
            return null;
        }

        var pin = Parse(options.PinnedCertificateSha256);
        return (_, certificate, _, _) => certificate is not null && Matches(pin, certificate);
    }

    private static bool Matches(byte[] pin, X509Certificate certificate)
    {
        // SslStream hands over an X509Certificate2; anything else is read from its DER.
        using var loaded = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var x509 = loaded ?? (X509Certificate2)certificate;
        return CryptographicOperations.FixedTimeEquals(pin, x509.GetCertHash(HashAlgorithmName.SHA256))
            || CryptographicOperations.FixedTimeEquals(pin, SHA256.HashData(x509.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
