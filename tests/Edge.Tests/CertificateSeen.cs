using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>A certificate validation callback that accepts any certificate and remembers the SHA-256 of the one it saw.</summary>
internal sealed class CertificateSeen
{
    public string? Sha256 { get; private set; }

    public bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null)
        {
            using var x509 = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            Sha256 = TestCertificate.Sha256(x509);
        }

        return true;
    }
}
