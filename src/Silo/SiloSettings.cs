using System.Net;
using AppMsg.Hosting;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Silo;

/// <summary>A silo's process settings, read from configuration and the environment.</summary>
public sealed record SiloSettings
{
    public required string ConnectionString { get; init; }
    public string ClusterId { get; init; } = "appmsg";
    public string ServiceId { get; init; } = "appmsg";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Where the silo serves its metrics, Prometheus text at <c>/metrics</c>.</summary>
    public int MetricsPort { get; init; } = 9090;

    /// <summary>The address other silos and clients use to reach this one: an IP, a DNS name, or <c>auto</c> for this host's own name.</summary>
    public string AdvertisedHost { get; init; } = "127.0.0.1";

    public string? SiloName { get; init; }

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password hashes (OWASP's figure; each hash records its own, so old ones keep working).</summary>
    public int PasswordIterations { get; init; } = 600_000;

    /// <summary>Failed logins a tenant's user name may make before lockouts begin.</summary>
    public int LoginFreeAttemptsPerUser { get; init; } = 5;

    /// <summary>Failed logins a client address may make before lockouts begin.</summary>
    public int LoginFreeAttemptsPerAddress { get; init; } = 30;

    /// <summary>The first login lockout; it doubles with each further failure.</summary>
    public TimeSpan LoginFirstLockout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest login lockout.</summary>
    public TimeSpan LoginMaxLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The AES-256 key that encrypts stored secrets (<c>APPMSG_SECRETS_KEY</c>, base64 of 32 bytes); null: none can be stored.</summary>
    public byte[]? SecretsKey { get; init; }

    /// <summary>The key before the last rotation (<c>APPMSG_SECRETS_KEY_PREVIOUS</c>): decrypts what it encrypted until it is written again.</summary>
    public byte[]? SecretsKeyPrevious { get; init; }

    /// <summary>How long login tokens live.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long an app's old secret keeps working after a rotation that names no overlap.</summary>
    public TimeSpan AppSecretOverlap { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often the stored login tokens are walked for expired ones never presented again.</summary>
    public TimeSpan TokenSweepInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many token rows one statement of the sweep reads.</summary>
    public int TokenSweepPageSize { get; init; } = 1_000;

    /// <summary>The TTL of a message that names none.</summary>
    public TimeSpan MessageDefaultTtl { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The longest TTL a sender may ask for.</summary>
    public TimeSpan MessageMaxTtl { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The largest message content (UTF-8 JSON bytes).</summary>
    public int MaxContentBytes { get; init; } = 32 * 1024;

    /// <summary>How often expired messages are pruned.</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long media no living message references is kept after its upload or last reference (<c>APPMSG_MEDIA_GRACE_SECONDS</c>).</summary>
    public TimeSpan MediaGrace { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a grain may sit idle before Orleans collects it (Orleans' default 15 minutes; tests shorten it).</summary>
    public TimeSpan GrainCollectionAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long stored session events are kept for backends that have not taken them.</summary>
    public TimeSpan SessionEventsRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A PEM file of extra CA certificates trusted for push provider endpoints (<c>APPMSG_PUSH_TRUST_PEM</c>).</summary>
    public string? PushTrustPem { get; init; }

    /// <summary>How long a live terminal has to acknowledge a message before its device is notified anyway.</summary>
    public TimeSpan PushAckDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The PostgreSQL connections this silo may hold: its two pools' sizes and the wait for a connection.</summary>
    public ConnectionBudget Database { get; init; } = ConnectionBudget.SiloDefault;

    /// <summary>Reads <c>ConnectionStrings:AppMsg</c>, <c>AppMsg:*</c> and the <c>APPMSG_*</c> environment names.</summary>
    /// <exception cref="StartupException">A setting is missing or malformed.</exception>
    public static SiloSettings FromConfiguration(IConfiguration configuration)
    {
        return new SiloSettings
        {
            ConnectionString = SettingReader.ConnectionString(configuration),
            ClusterId = SettingReader.String(configuration, "APPMSG_CLUSTER_ID", "AppMsg:ClusterId") ?? "appmsg",
            ServiceId = SettingReader.String(configuration, "APPMSG_SERVICE_ID", "AppMsg:ServiceId") ?? "appmsg",
            SiloPort = SettingReader.Port(configuration, "APPMSG_SILO_PORT", "AppMsg:SiloPort", 11111),
            GatewayPort = SettingReader.Port(configuration, "APPMSG_GATEWAY_PORT", "AppMsg:GatewayPort", 30000),
            MetricsPort = SettingReader.Port(configuration, "APPMSG_METRICS_PORT", "AppMsg:MetricsPort", 9090),
            AdvertisedHost = SettingReader.String(configuration, "APPMSG_ADVERTISED_HOST", "AppMsg:AdvertisedHost") ?? "127.0.0.1",
            SiloName = SettingReader.String(configuration, "APPMSG_SILO_NAME", "AppMsg:SiloName"),
            PasswordIterations = SettingReader.Int(configuration, "APPMSG_PASSWORD_ITERATIONS", "AppMsg:PasswordIterations", 600_000, 1_000, 10_000_000),
            LoginFreeAttemptsPerUser = SettingReader.Int(configuration, "APPMSG_LOGIN_FREE_ATTEMPTS_PER_USER", "AppMsg:LoginFreeAttemptsPerUser", 5, 1, 1_000),
            LoginFreeAttemptsPerAddress = SettingReader.Int(configuration, "APPMSG_LOGIN_FREE_ATTEMPTS_PER_ADDRESS", "AppMsg:LoginFreeAttemptsPerAddress", 30, 1, 1_000_000),
            LoginFirstLockout = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_LOGIN_FIRST_LOCKOUT_SECONDS", "AppMsg:LoginFirstLockoutSeconds", 1, 1, 3_600)),
            LoginMaxLockout = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_LOGIN_MAX_LOCKOUT_SECONDS", "AppMsg:LoginMaxLockoutSeconds", 900, 1, 86_400)),
            SecretsKey = Key(configuration, "APPMSG_SECRETS_KEY", "AppMsg:SecretsKey"),
            SecretsKeyPrevious = Key(configuration, "APPMSG_SECRETS_KEY_PREVIOUS", "AppMsg:SecretsKeyPrevious"),
            TokenLifetime = TimeSpan.FromDays(SettingReader.Int(configuration, "APPMSG_TOKEN_LIFETIME_DAYS", "AppMsg:TokenLifetimeDays", 30, 1, 3650)),
            AppSecretOverlap = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_APP_SECRET_OVERLAP_SECONDS", "AppMsg:AppSecretOverlapSeconds", 86_400, 0, 2_592_000)),
            TokenSweepInterval = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_TOKEN_SWEEP_INTERVAL_SECONDS", "AppMsg:TokenSweepIntervalSeconds", 3_600, 1, 604_800)),
            TokenSweepPageSize = SettingReader.Int(configuration, "APPMSG_TOKEN_SWEEP_PAGE_SIZE", "AppMsg:TokenSweepPageSize", 1_000, 1, 100_000),
            MessageDefaultTtl = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_MESSAGE_TTL_DEFAULT_SECONDS", "AppMsg:MessageTtlDefaultSeconds", 604_800, 1, int.MaxValue)),
            MessageMaxTtl = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_MESSAGE_TTL_MAX_SECONDS", "AppMsg:MessageTtlMaxSeconds", 2_592_000, 1, int.MaxValue)),
            MaxContentBytes = SettingReader.Int(configuration, "APPMSG_MAX_CONTENT_BYTES", "AppMsg:MaxContentBytes", 32 * 1024, 256, 1024 * 1024),
            PruneInterval = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_PRUNE_INTERVAL_SECONDS", "AppMsg:PruneIntervalSeconds", 60, 1, 86_400)),
            MediaGrace = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_MEDIA_GRACE_SECONDS", "AppMsg:MediaGraceSeconds", 86_400, 0, 365 * 86_400)),
            GrainCollectionAge = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_GRAIN_COLLECTION_AGE_SECONDS", "AppMsg:GrainCollectionAgeSeconds", 900, 10, 86_400)),
            SessionEventsRetention = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_SESSION_EVENTS_RETENTION_SECONDS", "AppMsg:SessionEventsRetentionSeconds", 86_400, 60, 2_592_000)),
            PushTrustPem = SettingReader.String(configuration, "APPMSG_PUSH_TRUST_PEM", "AppMsg:PushTrustPem"),
            PushAckDelay = TimeSpan.FromSeconds(SettingReader.Int(configuration, "APPMSG_PUSH_ACK_DELAY_SECONDS", "AppMsg:PushAckDelaySeconds", 10, 1, 3_600)),
            Database = ConnectionBudget.ForSilo(configuration),
        };
    }

    /// <exception cref="StartupException">The value is not base64 of 32 bytes.</exception>
    private static byte[]? Key(IConfiguration configuration, string environmentName, string key)
    {
        var text = SettingReader.String(configuration, environmentName, key);
        if (text is null)
        {
            return null;
        }

        var bytes = new byte[64];
        if (Convert.TryFromBase64String(text.Trim(), bytes, out var length) && length == 32)
        {
            return bytes[..32];
        }

        throw new StartupException($"{environmentName} must be base64 of 32 random bytes (head -c 32 /dev/urandom | base64)", ExitCodes.Configuration);
    }

    /// <summary>Resolves <see cref="AdvertisedHost"/> to an IPv4 address.</summary>
    public IPAddress ResolveAdvertisedAddress()
    {
        // "auto": this container's or machine's own name, as a container orchestrator resolves it.
        var host = AdvertisedHost == "auto" ? Dns.GetHostName() : AdvertisedHost;
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        try
        {
            return Dns.GetHostAddresses(host).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new StartupException($"APPMSG_ADVERTISED_HOST '{AdvertisedHost}' does not resolve to an IPv4 address: set it to this machine's address", ExitCodes.Configuration);
        }
    }
}
