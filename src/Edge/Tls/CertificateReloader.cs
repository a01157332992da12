using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Edge.Tls;

/// <summary>
/// The edge's current TLS certificate, read from its PEM files and read again whenever they change (polled every
/// <see cref="PollPeriod"/>). TLS handshakes take <see cref="Current"/>; connections already open keep their session.
/// </summary>
public sealed partial class CertificateReloader : IDisposable
{
    /// <summary>How often the files' timestamps and sizes are compared.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    private readonly EdgeTlsSettings settings;
    private readonly ILogger<CertificateReloader> logger;
    private readonly Timer timer;
    private readonly Lock polling = new();
    private volatile X509Certificate2 current;
    private FileStamp stamp;

    public CertificateReloader(EdgeTlsSettings settings, ILogger<CertificateReloader> logger)
    {
        this.settings = settings;
        this.logger = logger;
        stamp = FileStamp.Of(settings);
        current = PemCertificateLoader.Load(settings.CertificatePemPath, settings.KeyPemPath);
        timer = new Timer(_ => Poll(), null, PollPeriod, PollPeriod);
    }

    /// <summary>The certificate new connections are served.</summary>
    public X509Certificate2 Current => current;

    /// <summary>Reloads the certificate if either file changed since the last successful load.</summary>
    public void Poll()
    {
        lock (polling)
        {
            var seen = FileStamp.Of(settings);
            if (seen == stamp)
            {
                return;
            }

            try
            {
                // The previous certificate is not disposed: a handshake may be using it right now, and swaps are rare.
                current = PemCertificateLoader.Load(settings.CertificatePemPath, settings.KeyPemPath);
                stamp = seen;
                LogReloaded(logger, current.Subject, current.Thumbprint, current.NotAfter);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                // Likely caught between writing the certificate and the key: the stamp stays, so the next poll tries again.
                LogReloadFailed(logger, e.Message);
            }
        }
    }

    public void Dispose() => timer.Dispose();

    private readonly record struct FileStamp(DateTime CertificateWritten, long CertificateLength, DateTime KeyWritten, long KeyLength)
    {
        public static FileStamp Of(EdgeTlsSettings settings)
        {
            var certificate = new FileInfo(settings.CertificatePemPath);
            var key = new FileInfo(settings.KeyPemPath);
            return new FileStamp(
                certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
                key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, thumbprint {Thumbprint}, valid until {NotAfter}")]
    private static partial void LogReloaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate files changed but cannot be loaded (the previous certificate stays in use): {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
