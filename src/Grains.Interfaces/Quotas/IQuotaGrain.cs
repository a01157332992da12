namespace AppMsg.Quotas;

/// <summary>
/// The owner of one tenant's or app's quota (keyed by <see cref="QuotaOwners"/>): its limits, the day's counts and
/// the connections held. Edges never call it per message: they take allowances in blocks (<see cref="LeaseAsync"/>),
/// use them locally, and give back what they did not use (<see cref="SettleAsync"/>). A block granted counts as used
/// until it is given back, so all edges together never admit more than the limit.
/// </summary>
public interface IQuotaGrain : IGrainWithStringKey
{
    /// <summary>The limits (all -1 until the operator sets them).</summary>
    Task<QuotaLimits> GetLimitsAsync();

    /// <summary>Replaces the limits; edges apply them within seconds.</summary>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for a negative number other than -1.</exception>
    Task SetLimitsAsync(QuotaLimits limits);

    /// <summary>The limits and the use now.</summary>
    Task<QuotaStatus> GetStatusAsync();

    /// <summary>
    /// Grants <paramref name="edgeId"/> at least <paramref name="needed"/> units of <paramref name="counter"/> (more,
    /// as a block to use locally, while plenty is left), or none with the time until more is allowed.
    /// </summary>
    Task<QuotaLease> LeaseAsync(string edgeId, QuotaCounter counter, long needed);

    /// <summary>An edge gives back unused daily units and states the connection slots it holds; answered with the limits.</summary>
    Task<QuotaSettled> SettleAsync(string edgeId, QuotaSettlement settlement);

    /// <summary>
    /// Reserves stored media bytes for an upload under way: <paramref name="wanted"/> while they are left, else what is
    /// left when that is at least <paramref name="needed"/>, else none (Granted 0). Unlimited grants what is wanted.
    /// Reservations are stored with the quota, by <paramref name="uploadId"/> (each call adds to the upload's), so a
    /// grain activated again still counts them; one not settled within an hour of its last call no longer counts.
    /// </summary>
    Task<QuotaLease> ReserveMediaAsync(string uploadId, long needed, long wanted);

    /// <summary>
    /// An upload ended: its reservation (all that <paramref name="uploadId"/> reserved) goes, and <paramref name="stored"/>
    /// new bytes count as stored media. Call it once per upload: the charge is not idempotent.
    /// </summary>
    Task SettleMediaAsync(string uploadId, long stored);

    /// <summary>Stored media was deleted (pruned): <paramref name="bytes"/> no longer count.</summary>
    Task ReleaseMediaAsync(long bytes);
}
