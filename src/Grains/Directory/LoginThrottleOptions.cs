namespace AppMsg.Grains.Directory;

/// <summary>The login throttle's numbers (docs/security.md).</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Failed attempts a tenant's user name may make before lockouts begin.</summary>
    public int FreeAttemptsPerUser { get; set; } = 5;

    /// <summary>Failed attempts one client address (IPv4, or IPv6 /64) may make before lockouts begin.</summary>
    public int FreeAttemptsPerAddress { get; set; } = 30;

    /// <summary>The first lockout; each further failure doubles it.</summary>
    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest lockout.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A key without an attempt for this long forgets its failures (and its grain may deactivate).</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);
}
