using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Testing;

/// <summary>Self-signed certificates for TLS tests, written as the PEM files an edge reads.</summary>
public static class TestCertificate
{
    /// <summary>A certificate for <c>localhost</c> and 127.0.0.1, valid for a month, with its private key.</summary>
    public static X509Certificate2 Create(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>
    /// A leaf certificate as <see cref="Create"/> makes, issued by an intermediate authority (returned too, without its
    /// key) that a new root issued. A server sends the intermediates it has, never the root.
    /// </summary>
    public static (X509Certificate2 Leaf, X509Certificate2 Intermediate) CreateIssued(string commonName)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = AuthorityRequest($"CN={commonName} root", rootKey).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(90));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediateIssued = AuthorityRequest($"CN={commonName} intermediate", intermediateKey)
            .Create(root, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60), [5, 6, 7, 8]);
        using var intermediate = intermediateIssued.CopyWithPrivateKey(intermediateKey);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        return (issued.CopyWithPrivateKey(key), X509CertificateLoader.LoadCertificate(intermediate.RawData));
    }

    /// <summary>Writes the certificate (then any <paramref name="chain"/>) and its key; each file is replaced in one step, as a deployment tool would.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath, params X509Certificate2[] chain)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no ECDSA private key");
        Replace(certificatePath, string.Concat(chain.Prepend(certificate).Select(c => c.ExportCertificatePem() + "\n")));
        Replace(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The SHA-256 of the certificate (DER) in hex, as <c>openssl x509 -fingerprint -sha256</c> prints it without colons.</summary>
    public static string Sha256(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private static CertificateRequest AuthorityRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static void Replace(string path, string text)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
