using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Testing;

/// <summary>
/// A running system whose edge also serves TLS (binary protocol and HTTPS / wss) with a self-signed certificate kept
/// in a temporary folder, and allows one browser origin (<see cref="AllowedOrigin"/>).
/// </summary>
public class TlsRunningSystem : RunningSystem
{
    public const string AllowedOrigin = "https://app.example.com";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "appmsg-tls-" + Guid.NewGuid().ToString("N"));

    /// <summary>The certificate the edge's files hold now.</summary>
    public X509Certificate2 Certificate { get; private set; } = null!;

    public string CertificatePath => Path.Combine(folder, "edge.crt.pem");

    public string KeyPath => Path.Combine(folder, "edge.key.pem");

    public int TlsTcpPort => EdgeSettings.Tls!.TcpPort;

    public int HttpsPort => EdgeSettings.Tls!.HttpsPort;

    /// <summary>Writes a new certificate over the edge's files and returns it.</summary>
    public X509Certificate2 ReplaceCertificate(string commonName)
    {
        Certificate = TestCertificate.Create(commonName);
        TestCertificate.WritePem(Certificate, CertificatePath, KeyPath);
        return Certificate;
    }

    /// <summary>Writes a new certificate and its intermediate authority (after it in the file) over the edge's files, and returns both.</summary>
    public (X509Certificate2 Leaf, X509Certificate2 Intermediate) ReplaceCertificateWithChain(string commonName)
    {
        var (leaf, intermediate) = TestCertificate.CreateIssued(commonName);
        Certificate = leaf;
        TestCertificate.WritePem(leaf, CertificatePath, KeyPath, intermediate);
        return (leaf, intermediate);
    }

    protected override Edge.EdgeSettings ConfigureEdge(Edge.EdgeSettings settings)
    {
        System.IO.Directory.CreateDirectory(folder);
        ReplaceCertificate("appmsg-test-1");
        return settings with
        {
            Tls = new Edge.Tls.EdgeTlsSettings
            {
                CertificatePemPath = CertificatePath,
                KeyPemPath = KeyPath,
                TcpPort = FreePort.Next(),
                HttpsPort = FreePort.Next(),
            },
            CorsOrigins = [AllowedOrigin],
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        System.IO.Directory.Delete(folder, recursive: true);
    }
}
