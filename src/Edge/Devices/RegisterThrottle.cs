using System.Collections.Concurrent;
using System.Net;
using AppMsg.Directory;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Bad-token REGISTERs per client address, counted on this edge: after <see cref="DeviceSettings.RegisterFreeFailuresPerAddress"/>
/// failures each further one locks the address out (1 s, doubling up to 5 min), and while it is locked out a REGISTER
/// is refused with REGRESP 7 (busy) before any grain is asked. So a flood of guessed tokens costs the silo a few token
/// lookups instead of one each. Held in memory, at most <see cref="MaxTracked"/> addresses; forgotten 10 min after
/// their last failure.
/// </summary>
public sealed class RegisterThrottle(DeviceSettings settings, TimeProvider time)
{
    /// <summary>Addresses tracked at once; a new address past this is not throttled until older ones are forgotten.</summary>
    public const int MaxTracked = 100_000;

    private static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Failures> byAddress = new(StringComparer.Ordinal);
    private long refused;

    /// <summary>REGISTERs refused because their address was locked out (no grain was asked).</summary>
    public long Refused => Interlocked.Read(ref refused);

    /// <summary>True when a REGISTER from <paramref name="address"/> must be refused now; counts the refusal.</summary>
    public bool IsLockedOut(IPAddress? address)
    {
        if (address is null || !byAddress.TryGetValue(LoginThrottleKeys.ForAddress(address), out var failures))
        {
            return false;
        }

        lock (failures)
        {
            if (time.GetUtcNow() >= failures.LockedUntil)
            {
                return false;
            }
        }

        Interlocked.Increment(ref refused);
        return true;
    }

    /// <summary>A REGISTER from <paramref name="address"/> named a token that is not valid.</summary>
    public void Failed(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var key = LoginThrottleKeys.ForAddress(address);
        if (!byAddress.TryGetValue(key, out var failures))
        {
            if (byAddress.Count >= MaxTracked)
            {
                ForgetQuiet(now);
                if (byAddress.Count >= MaxTracked)
                {
                    return;
                }
            }

            failures = byAddress.GetOrAdd(key, _ => new Failures());
        }

        lock (failures)
        {
            if (now - failures.Last > Forget)
            {
                failures.Count = 0;
            }

            failures.Count++;
            failures.Last = now;
            var over = failures.Count - settings.RegisterFreeFailuresPerAddress;
            if (over > 0)
            {
                var lockout = over >= 20 ? MaxLockout : TimeSpan.FromTicks(Math.Min(MaxLockout.Ticks, FirstLockout.Ticks << (over - 1)));
                failures.LockedUntil = now + lockout;
            }
        }
    }

    private void ForgetQuiet(DateTimeOffset now)
    {
        foreach (var (key, failures) in byAddress)
        {
            bool quiet;
            lock (failures)
            {
                quiet = now - failures.Last > Forget && now >= failures.LockedUntil;
            }

            if (quiet)
            {
                byAddress.TryRemove(key, out _);
            }
        }
    }

    private sealed class Failures
    {
        public int Count;
        public DateTimeOffset Last;
        public DateTimeOffset LockedUntil;
    }
}
