using System.Collections.Concurrent;
using AppMsg.Common;
using AppMsg.Statistics;

namespace AppMsg.Edge.Statistics;

/// <summary>
/// This edge's statistics, counted in memory per tenant, app and UTC hour (lock-free adds), and taken every few
/// seconds by <see cref="StatsFlushService"/>, which writes them in one call. Memory: one entry per tenant and app
/// active in the current or previous hour.
/// </summary>
public sealed class StatsCollector
{
    private readonly ConcurrentDictionary<(string TenantId, string AppId, long Hour), long[]> buckets = new();

    /// <summary>Adds to a counter of the tenant (and app, when an app did it) in the current hour.</summary>
    public void Add(string tenantId, string? appId, StatsCounter counter, long count = 1)
    {
        if (count != 0)
        {
            Interlocked.Add(ref Bucket(tenantId, appId)[(int)counter], count);
        }
    }

    /// <summary>Counts an accepted message by the kind of its target, and its content bytes.</summary>
    public void AddMessage(string tenantId, string? appId, AddressKind target, long contentBytes)
    {
        var counts = Bucket(tenantId, appId);
        var counter = target switch
        {
            AddressKind.User => StatsCounter.MessagesToUser,
            AddressKind.Qun => StatsCounter.MessagesToQun,
            AddressKind.Org => StatsCounter.MessagesToOrg,
            AddressKind.Tenant => StatsCounter.MessagesToTenant,
            AddressKind.App => StatsCounter.MessagesToApp,
            _ => StatsCounter.MessagesToSession,
        };
        Interlocked.Increment(ref counts[(int)counter]);
        Interlocked.Add(ref counts[(int)StatsCounter.BytesStored], contentBytes);
    }

    /// <summary>Raises the tenant's peak of connections in the current hour.</summary>
    public void Peak(string tenantId, long connections)
    {
        if (connections <= 0)
        {
            return;
        }

        RaiseTo(ref Bucket(tenantId, null)[(int)StatsCounter.PeakConnections], connections);
    }

    private static void RaiseTo(ref long slot, long value)
    {
        var seen = Volatile.Read(ref slot);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref slot, value, seen);
            if (was == seen)
            {
                break;
            }

            seen = was;
        }
    }

    /// <summary>Takes the counts gathered since the last call (resetting them); entries of past hours that stay empty are dropped.</summary>
    public List<StatsRow> Take()
    {
        var rows = new List<StatsRow>();
        var currentHour = DateTime.UtcNow.Ticks / TimeSpan.TicksPerHour;
        foreach (var (key, counts) in buckets)
        {
            long[]? taken = null;
            for (var i = 0; i < counts.Length; i++)
            {
                if (Interlocked.Exchange(ref counts[i], 0) is var value and not 0)
                {
                    (taken ??= new long[StatsRow.CounterCount])[i] = value;
                }
            }

            if (taken is not null)
            {
                rows.Add(new StatsRow(key.TenantId, key.AppId, new DateTimeOffset(key.Hour * TimeSpan.TicksPerHour, TimeSpan.Zero), taken));
            }
            else if (key.Hour < currentHour - 1)
            {
                buckets.TryRemove(key, out _);
            }
        }

        return rows;
    }

    /// <summary>Puts counts back that could not be written (they go with the next flush).</summary>
    public void Restore(IEnumerable<StatsRow> rows)
    {
        foreach (var row in rows)
        {
            var counts = buckets.GetOrAdd((row.TenantId, row.AppId, row.At.UtcTicks / TimeSpan.TicksPerHour), static _ => new long[StatsRow.CounterCount]);
            for (var i = 0; i < counts.Length; i++)
            {
                if (i == (int)StatsCounter.PeakConnections)
                {
                    RaiseTo(ref counts[i], row.Counts[i]);
                }
                else
                {
                    Interlocked.Add(ref counts[i], row.Counts[i]);
                }
            }
        }
    }

    private long[] Bucket(string tenantId, string? appId) =>
        buckets.GetOrAdd((tenantId, appId ?? "", DateTime.UtcNow.Ticks / TimeSpan.TicksPerHour), static _ => new long[StatsRow.CounterCount]);
}
