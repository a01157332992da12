using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Edge.Tls;

/// <summary>Loads a certificate and its private key from PEM files into a form SslStream can serve.</summary>
public static class PemCertificateLoader
{
    /// <exception cref="System.Security.Cryptography.CryptographicException">Not a certificate, not its key, or they do not match.</exception>
    public static X509Certificate2 Load(string certificatePemPath, string keyPemPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePemPath, keyPemPath);
        // A key loaded from PEM is ephemeral; a PKCS#12 round trip gives a certificate every platform's TLS stack accepts.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The certificates after the first in the PEM file (the leaf's intermediates), served with it.</summary>
    public static X509Certificate2Collection LoadIntermediates(string certificatePemPath)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePemPath);
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            intermediates.Add(all[i]);
        }

        return intermediates;
    }
}
