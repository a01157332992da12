using AppMsg.Quotas;

namespace AppMsg.Edge.Quotas;

/// <summary>This edge's view of one tenant's or app's quota: the limits (refreshed every 2 s), the units it holds, and its connections.</summary>
public sealed class OwnerQuota(string grainKey, QuotaLimits limits, long now)
{
    private readonly Lock sync = new();
    private long heldConnections;
    private long usedConnections;

    public string GrainKey { get; } = grainKey;

    public QuotaLimits Limits { get; set; } = limits;

    /// <summary>When the limits were last read from the grain (<see cref="Environment.TickCount64"/>).</summary>
    public long RefreshedAt { get; set; } = now;

    /// <summary>When the owner was last used here (<see cref="Environment.TickCount64"/>).</summary>
    public long UsedAt { get; set; } = now;

    /// <summary>The grain said it is short: give back what is held at the next settlement.</summary>
    public bool Short { get; set; }

    /// <summary>Serializes this edge's calls to the owner's grain.</summary>
    public SemaphoreSlim Calls { get; } = new(1, 1);

    public QuotaAllowance ApiCalls { get; } = new(QuotaCounter.ApiCalls);

    public QuotaAllowance Messages { get; } = new(QuotaCounter.Messages);

    public QuotaAllowance Rate { get; } = new(QuotaCounter.MessageRate);

    /// <summary>When a connection slot was last taken (<see cref="Environment.TickCount64"/>).</summary>
    public long ConnectionTakenAt { get; private set; }

    /// <summary>Device sessions of this owner on this edge now.</summary>
    public long Connections
    {
        get
        {
            lock (sync)
            {
                return usedConnections;
            }
        }
    }

    /// <summary>Takes a connection slot from those held (or without one when connections are unlimited).</summary>
    public bool TryTakeConnection(long now, bool unlimited)
    {
        lock (sync)
        {
            if (!unlimited && usedConnections >= heldConnections)
            {
                return false;
            }

            usedConnections++;
            ConnectionTakenAt = now;
            return true;
        }
    }

    public void AddConnectionSlots(long granted)
    {
        lock (sync)
        {
            heldConnections += granted;
        }
    }

    public void ReleaseConnection()
    {
        lock (sync)
        {
            usedConnections = Math.Max(0, usedConnections - 1);
        }
    }

    /// <summary>The slots to state at a settlement: spare ones are kept only while connections keep arriving.</summary>
    public long SlotsToHold(bool keepSpare)
    {
        lock (sync)
        {
            heldConnections = keepSpare ? Math.Max(heldConnections, usedConnections) : usedConnections;
            return heldConnections;
        }
    }
}
