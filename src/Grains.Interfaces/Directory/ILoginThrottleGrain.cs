namespace AppMsg.Directory;

/// <summary>
/// Counts the login attempts of one key (<see cref="LoginThrottleKeys"/>: a tenant's user name, or a client
/// address) across every edge, and locks the key out for exponentially growing periods once its free attempts
/// are spent. The counter lives in memory: a deactivation (after an hour without failures) or a silo restart forgets it.
/// </summary>
public interface ILoginThrottleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts an attempt before its password is checked: <see cref="TimeSpan.Zero"/> when it may go ahead,
    /// or how long the key is locked out (the attempt is then refused and not counted).
    /// </summary>
    Task<TimeSpan> BeginAttemptAsync();

    /// <summary>
    /// How long the key is locked out (<see cref="TimeSpan.Zero"/>: not), without counting anything: a client address is
    /// checked this way, and only its failures count (<see cref="FailedAsync"/>), so that many users logging in at once
    /// from one address (an office behind NAT, a backend) are never taken for a guesser.
    /// </summary>
    Task<TimeSpan> GetLockoutAsync();

    /// <summary>Counts a failed attempt (a client address's), locking the key out once its free attempts are spent.</summary>
    Task FailedAsync();

    /// <summary>
    /// The attempt begun last succeeded. <paramref name="reset"/>: forget every failure (a user name);
    /// otherwise only that attempt is taken back (an address, where others may be failing).
    /// </summary>
    Task SucceededAsync(bool reset);
}
