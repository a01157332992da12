using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AppMsg.Hosting;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Edge.Tls;

/// <summary>Where an edge's certificate is and the ports it serves TLS on (binary protocol, HTTPS and <c>wss://</c>).</summary>
public sealed record EdgeTlsSettings
{
    /// <summary>Path of the PEM certificate (the leaf first, then any intermediates).</summary>
    public required string CertificatePemPath { get; init; }

    /// <summary>Path of the PEM private key.</summary>
    public required string KeyPemPath { get; init; }

    /// <summary>Binary protocol over TLS.</summary>
    public int TcpPort { get; init; } = 7443;

    /// <summary>HTTPS API and <c>wss://</c> <c>/ws</c>.</summary>
    public int HttpsPort { get; init; } = 8443;

    /// <summary>
    /// Reads <c>APPMSG_TLS_CERT_PEM</c>, <c>APPMSG_TLS_KEY_PEM</c>, <c>APPMSG_TLS_TCP_PORT</c> and <c>APPMSG_HTTPS_PORT</c>;
    /// null when neither file is named (no TLS).
    /// </summary>
    /// <exception cref="StartupException">Only one of the two files is named, or they do not hold a certificate and its key.</exception>
    public static EdgeTlsSettings? FromConfiguration(IConfiguration configuration)
    {
        var certificate = SettingReader.String(configuration, "APPMSG_TLS_CERT_PEM", "AppMsg:TlsCertPem");
        var key = SettingReader.String(configuration, "APPMSG_TLS_KEY_PEM", "AppMsg:TlsKeyPem");
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw new StartupException(
                $"TLS needs both APPMSG_TLS_CERT_PEM and APPMSG_TLS_KEY_PEM, but only {(certificate is null ? "APPMSG_TLS_KEY_PEM" : "APPMSG_TLS_CERT_PEM")} is set; set both (paths of PEM files) or neither",
                ExitCodes.Configuration);
        }

        var settings = new EdgeTlsSettings
        {
            CertificatePemPath = Path.GetFullPath(certificate),
            KeyPemPath = Path.GetFullPath(key),
            TcpPort = SettingReader.Port(configuration, "APPMSG_TLS_TCP_PORT", "AppMsg:TlsTcpPort", 7443),
            HttpsPort = SettingReader.Port(configuration, "APPMSG_HTTPS_PORT", "AppMsg:HttpsPort", 8443),
        };
        settings.CheckCertificate();
        return settings;
    }

    /// <summary>Loads the certificate once, so that a bad file stops the edge at start with a clear reason.</summary>
    /// <exception cref="StartupException">The files cannot be read or do not hold a certificate and its key.</exception>
    public void CheckCertificate()
    {
        try
        {
            using var loaded = PemCertificateLoader.Load(CertificatePemPath, KeyPemPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new StartupException(
                $"cannot load the TLS certificate from APPMSG_TLS_CERT_PEM={CertificatePemPath} and APPMSG_TLS_KEY_PEM={KeyPemPath}: {e.Message}",
                ExitCodes.Configuration, e);
        }
    }
}
