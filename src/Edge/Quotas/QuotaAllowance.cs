using AppMsg.Quotas;

namespace AppMsg.Edge.Quotas;

/// <summary>
/// Units of one counter that this edge took from the owner's grain and has not used yet. Daily units lapse with
/// their UTC day, rate tokens a second after they were granted (they are not given back). A refusal is remembered
/// for up to a second, so a caller over its quota costs no grain call per attempt. Times are
/// <see cref="Environment.TickCount64"/> milliseconds.
/// </summary>
public sealed class QuotaAllowance(QuotaCounter counter)
{
    /// <summary>How long rate tokens stay usable on the edge.</summary>
    public static readonly TimeSpan TokenLife = TimeSpan.FromSeconds(1);

    /// <summary>How long a refusal is answered without asking the grain again.</summary>
    public static readonly TimeSpan RefusalMemory = TimeSpan.FromSeconds(1);

    private readonly Lock sync = new();
    private long left;
    private int day;
    private long expiresAt = long.MaxValue;
    private long refusedUntil;
    private long retryAt;

    public QuotaCounter Counter { get; } = counter;

    /// <summary>When a unit was last taken (<see cref="Environment.TickCount64"/>).</summary>
    public long LastTakenAt { get; private set; }

    /// <summary>Takes <paramref name="count"/> units if the edge holds them; otherwise the units it holds stay, and
    /// <paramref name="retryAfter"/> is set while a recent refusal still applies.</summary>
    public bool TryTake(long count, long now, int today, out int retryAfter)
    {
        lock (sync)
        {
            Lapse(now, today);
            retryAfter = 0;
            if (left >= count)
            {
                left -= count;
                LastTakenAt = now;
                return true;
            }

            if (refusedUntil > now)
            {
                retryAfter = Math.Max(1, (int)Math.Ceiling((retryAt - now) / 1000.0));
            }

            return false;
        }
    }

    /// <summary>What must be asked of the grain to take <paramref name="count"/>: the units held count towards it.</summary>
    public long Missing(long count)
    {
        lock (sync)
        {
            return Math.Max(1, count - left);
        }
    }

    /// <summary>A grant arrived: the units held and the grant together pay for <paramref name="count"/>.</summary>
    public void Granted(QuotaLease lease, long count, long now)
    {
        lock (sync)
        {
            if (lease.Day != day)
            {
                left = 0;
                day = lease.Day;
            }

            left = Math.Max(0, left + lease.Granted - count);
            expiresAt = Counter == QuotaCounter.MessageRate ? now + (long)TokenLife.TotalMilliseconds : long.MaxValue;
            refusedUntil = 0;
            LastTakenAt = now;
        }
    }

    public void Refused(int retryAfterSeconds, long now)
    {
        lock (sync)
        {
            retryAt = now + (retryAfterSeconds * 1000L);
            refusedUntil = Math.Min(retryAt, now + (long)RefusalMemory.TotalMilliseconds);
        }
    }

    /// <summary>Puts back units taken for a send that did not happen (another limit refused it, or it failed).</summary>
    public void GiveBack(long count)
    {
        lock (sync)
        {
            left += count;
        }
    }

    /// <summary>Forgets a remembered refusal (the limits changed).</summary>
    public void ForgetRefusal()
    {
        lock (sync)
        {
            refusedUntil = 0;
        }
    }

    /// <summary>Takes every unused daily unit of <paramref name="today"/> out, to give it back to the grain.</summary>
    public long TakeUnused(int today)
    {
        lock (sync)
        {
            var unused = day == today ? left : 0;
            left = 0;
            return unused;
        }
    }

    private void Lapse(long now, int today)
    {
        if ((Counter != QuotaCounter.MessageRate && day != today) || now > expiresAt)
        {
            left = 0;
        }
    }
}
