using AppMsg.Hosting;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Edge.Media;

/// <summary>Limits and signing of media uploads and downloads (docs/media.md).</summary>
public sealed record MediaSettings
{
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    /// <summary>The largest upload accepted (<c>APPMSG_MEDIA_MAX_BYTES</c>).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>How long the signed URL an upload answers stays valid (<c>APPMSG_MEDIA_URL_SECONDS</c>).</summary>
    public TimeSpan UrlLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Uploads this edge stores at once (<c>APPMSG_MEDIA_MAX_UPLOADS</c>); one more is refused as unavailable.</summary>
    public int MaxConcurrentUploads { get; init; } = 16;

    /// <summary>
    /// The HMAC key of signed URLs: <c>APPMSG_MEDIA_URL_KEY</c> (base64), else derived from <c>APPMSG_SECRETS_KEY</c>,
    /// else (null here) <see cref="MediaUrlSigner"/> derives one from <c>APPMSG_ADMIN_KEY</c>, or without one takes a random key of this process (its URLs work only on this edge, until it restarts).
    /// </summary>
    public byte[]? UrlKey { get; init; }

    public static MediaSettings FromConfiguration(IConfiguration configuration) => new()
    {
        MaxBytes = SettingReader.Int(configuration, "APPMSG_MEDIA_MAX_BYTES", "AppMsg:MediaMaxBytes", (int)DefaultMaxBytes, 1, int.MaxValue),
        UrlLifetime = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_MEDIA_URL_SECONDS", "AppMsg:MediaUrlSeconds", 7 * 24 * 3600, 60, 366 * 24 * 3600)),
        MaxConcurrentUploads = SettingReader.Int(configuration, "APPMSG_MEDIA_MAX_UPLOADS", "AppMsg:MediaMaxUploads", 16, 1, 10_000),
        UrlKey = MediaUrlSigner.KeyFrom(
            SettingReader.String(configuration, "APPMSG_MEDIA_URL_KEY", "AppMsg:MediaUrlKey"),
            SettingReader.String(configuration, "APPMSG_SECRETS_KEY", "AppMsg:SecretsKey")),
    };
}
