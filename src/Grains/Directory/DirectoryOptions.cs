namespace AppMsg.Grains.Directory;

/// <summary>Limits and costs of the directory, configurable per deployment.</summary>
public sealed class DirectoryOptions
{
    /// <summary>PBKDF2-SHA256 iterations for new password hashes (stored with each hash, so changing it keeps old hashes valid).</summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>How long a login token lives.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an app's old secret keeps working after a rotation that names no overlap.</summary>
    public TimeSpan AppSecretOverlap { get; set; } = TimeSpan.FromHours(24);
}
