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

    /// <summary>
    /// Where the file store keeps media bytes (<c>APPMSG_MEDIA_DIR</c>); null keeps them in PostgreSQL. Every edge of a
    /// deployment must see the same directory (a shared volume).
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>How often an edge with the file store deletes files no blob records (<c>APPMSG_PRUNE_INTERVAL_SECONDS</c>, as the silo's pruning).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(60);

    public static MediaSettings FromConfiguration(IConfiguration configuration) => new()
    {
        MaxBytes = SettingReader.Int(configuration, "APPMSG_MEDIA_MAX_BYTES", "AppMsg:MediaMaxBytes", (int)DefaultMaxBytes, 1, int.MaxValue),
        UrlLifetime = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_MEDIA_URL_SECONDS", "AppMsg:MediaUrlSeconds", 7 * 24 * 3600, 60, 366 * 24 * 3600)),
        MaxConcurrentUploads = SettingReader.Int(configuration, "APPMSG_MEDIA_MAX_UPLOADS", "AppMsg:MediaMaxUploads", 16, 1, 10_000),
        Directory = SettingReader.String(configuration, "APPMSG_MEDIA_DIR", "AppMsg:MediaDir") is { Length: > 0 } directory ? directory : null,
        SweepInterval = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_PRUNE_INTERVAL_SECONDS", "AppMsg:PruneIntervalSeconds", 60, 1, 86_400)),
        UrlKey = MediaUrlSigner.KeyFrom(
            SettingReader.String(configuration, "APPMSG_MEDIA_URL_KEY", "AppMsg:MediaUrlKey"),
            SettingReader.String(configuration, "APPMSG_SECRETS_KEY", "AppMsg:SecretsKey")),
    };
}
