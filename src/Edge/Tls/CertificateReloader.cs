using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AppMsg.Edge.Tls;

/// <summary>
/// The edge's current TLS certificate, read from its PEM files and read again whenever they change (polled every
/// <see cref="PollPeriod"/>). TLS handshakes take <see cref="CurrentContext"/>, built once per certificate (its chain
/// resolved then, not per handshake); connections already open keep their session.
/// </summary>
public sealed partial class CertificateReloader : IDisposable
{
    /// <summary>How often the files' timestamps and sizes are compared.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    private readonly EdgeTlsSettings settings;
    private readonly ILogger<CertificateReloader> logger;
    private readonly Timer timer;
    private readonly Lock polling = new();
    private volatile Served current;
    private FileStamp stamp;

    public CertificateReloader(EdgeTlsSettings settings, ILogger<CertificateReloader> logger)
    {
        this.settings = settings;
        this.logger = logger;
        stamp = FileStamp.Of(settings);
        current = Load(settings);
        timer = new Timer(_ => Poll(), null, PollPeriod, PollPeriod);
        if (OperatingSystem.IsLinux() && !OpenSslIdleBuffers.Available)
        {
            LogIdleBuffersUnavailable(logger);
        }
    }

    /// <summary>The certificate new connections are served.</summary>
    public X509Certificate2 Current => current.Certificate;

    /// <summary>The context new connections are served: <see cref="Current"/> and the intermediates of its file.</summary>
    public SslStreamCertificateContext CurrentContext => current.Context;

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
                current = Load(settings);
                stamp = seen;
                LogReloaded(logger, current.Certificate.Subject, current.Certificate.Thumbprint, current.Certificate.NotAfter);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                // Likely caught between writing the certificate and the key: the stamp stays, so the next poll tries again.
                LogReloadFailed(logger, e.Message);
            }
        }
    }

    public void Dispose() => timer.Dispose();

    private static Served Load(EdgeTlsSettings settings)
    {
        var certificate = PemCertificateLoader.Load(settings.CertificatePemPath, settings.KeyPemPath);
        var intermediates = PemCertificateLoader.LoadIntermediates(settings.CertificatePemPath);
        // offline: the chain is built from the file and the machine's stores, never fetched while serving.
        return new Served(certificate, SslStreamCertificateContext.Create(certificate, intermediates, offline: true));
    }

    private sealed record Served(X509Certificate2 Certificate, SslStreamCertificateContext Context);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenSSL's SSL_MODE_RELEASE_BUFFERS cannot be set by this runtime: each idle TLS connection keeps its record buffers (about 34 KiB)")]
    private static partial void LogIdleBuffersUnavailable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate files changed but cannot be loaded (the previous certificate stays in use): {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
