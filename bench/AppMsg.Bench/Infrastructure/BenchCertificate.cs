using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Bench.Infrastructure;

/// <summary>
/// The self-signed certificate the edge serves in a --tls run: ECDSA P-256 for 127.0.0.1 and localhost (what
/// <c>./run.sh --tls</c> makes), written as PEM files; the devices pin its SHA-256.
/// </summary>
public sealed record BenchCertificate(string CertificatePemPath, string KeyPemPath, string Sha256)
{
    public static BenchCertificate Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        var certificatePath = Path.Combine(directory, "bench-edge.crt.pem");
        var keyPath = Path.Combine(directory, "bench-edge.key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new BenchCertificate(certificatePath, keyPath, Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)));
    }
}
