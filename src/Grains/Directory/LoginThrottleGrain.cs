using AppMsg.Directory;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Directory;

/// <summary>
/// One key's attempt counter, in memory. Attempts are counted when they begin (not when they fail), so that
/// concurrent attempts cannot all slip past the check; a success takes its attempt back or resets the key.
/// The grain stays active while it remembers failures and then deactivates, so memory is bounded by the
/// keys that failed within <see cref="LoginThrottleOptions.ForgetAfter"/>.
/// </summary>
public sealed class LoginThrottleGrain(IOptions<LoginThrottleOptions> options, TimeProvider clock) : Grain, ILoginThrottleGrain
{
    private int attempts;
    private DateTimeOffset lastAttempt;
    private DateTimeOffset lockedUntil;

    private bool IsAddress => this.GetPrimaryKeyString().StartsWith("ip:", StringComparison.Ordinal);

    private int FreeAttempts => IsAddress ? options.Value.FreeAttemptsPerAddress : options.Value.FreeAttemptsPerUser;

    public Task<TimeSpan> BeginAttemptAsync()
    {
        var now = clock.GetUtcNow();
        if (now - lastAttempt > options.Value.ForgetAfter)
        {
            attempts = 0;
            lockedUntil = default;
        }

        if (now < lockedUntil)
        {
            return Task.FromResult(lockedUntil - now);
        }

        Count(now);
        return Task.FromResult(TimeSpan.Zero);
    }

    public Task<TimeSpan> GetLockoutAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult(now < lockedUntil && now - lastAttempt <= options.Value.ForgetAfter ? lockedUntil - now : TimeSpan.Zero);
    }

    public Task FailedAsync()
    {
        var now = clock.GetUtcNow();
        if (now - lastAttempt > options.Value.ForgetAfter)
        {
            attempts = 0;
            lockedUntil = default;
        }

        Count(now);
        return Task.CompletedTask;
    }

    private void Count(DateTimeOffset now)
    {
        attempts++;
        lastAttempt = now;
        lockedUntil = attempts >= FreeAttempts ? now + Lockout(attempts - FreeAttempts) : default;
        DelayDeactivation(options.Value.ForgetAfter);
    }

    public Task SucceededAsync(bool reset)
    {
        attempts = reset ? 0 : Math.Max(0, attempts - 1);
        if (attempts < FreeAttempts)
        {
            lockedUntil = default;
        }

        if (attempts == 0)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    /// <summary>The first lockout doubled <paramref name="doublings"/> times, at most the longest.</summary>
    private TimeSpan Lockout(int doublings)
    {
        var first = options.Value.FirstLockout;
        var max = options.Value.MaxLockout;
        return doublings >= 30 || first.Ticks << doublings > max.Ticks ? max : TimeSpan.FromTicks(first.Ticks << doublings);
    }
}
