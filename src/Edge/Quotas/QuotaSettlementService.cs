using AppMsg.Edge.Cluster;
using AppMsg.Quotas;

namespace AppMsg.Edge.Quotas;

/// <summary>
/// Every second, settles with the quota grains of the owners this edge used: every <see cref="RefreshPeriod"/>
/// (at once when the grain said it is short) it gives back the daily units it has not used for
/// <see cref="IdleAfter"/>, states the connection slots it holds, and reads the limits again; an owner unused for
/// <see cref="ForgetAfter"/> with no connections is settled one last time and forgotten. At most
/// <see cref="Parallelism"/> settlements are in flight.
/// </summary>
public sealed partial class QuotaSettlementService(
    QuotaGate gate, Statistics.StatsCollector stats, IClusterClient cluster, EdgeSettings settings, ILogger<QuotaSettlementService> logger)
    : BackgroundService
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(60);
    public const int Parallelism = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = Environment.TickCount64;
            var due = gate.Owners.Where(o => o.Owner.Short || now - o.Owner.RefreshedAt >= (long)RefreshPeriod.TotalMilliseconds).ToList();
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
                async (o, ct) => await SettleAsync(o.Id, o.IsTenant, o.Owner, now, ct));
        }
    }

    private async Task SettleAsync(string id, bool isTenant, OwnerQuota owner, long now, CancellationToken stopping)
    {
        var forget = now - owner.UsedAt >= (long)ForgetAfter.TotalMilliseconds && owner.Connections == 0;
        var idle = (long)IdleAfter.TotalMilliseconds;
        var today = DateOnly.FromDateTime(DateTime.UtcNow).DayNumber;
        await owner.Calls.WaitAsync(stopping);
        long apiCalls = 0;
        long messages = 0;
        try
        {
            apiCalls = forget || owner.Short || now - owner.ApiCalls.LastTakenAt >= idle ? owner.ApiCalls.TakeUnused(today) : 0;
            messages = forget || owner.Short || now - owner.Messages.LastTakenAt >= idle ? owner.Messages.TakeUnused(today) : 0;
            var held = owner.SlotsToHold(keepSpare: now - owner.ConnectionTakenAt < idle);
            var settled = await cluster.GetGrain<IQuotaGrain>(owner.GrainKey).SettleAsync(settings.EdgeId, new QuotaSettlement(today, apiCalls, messages, held)).WaitAsync(BackgroundCallLimits.InLoop, stopping);
            QuotaGate.Refreshed(owner, settled.Limits);
            owner.Short = settled.Short;
            if (isTenant)
            {
                stats.Peak(id, Math.Max(settled.Connections, owner.Connections));
            }

            // Not if it was used while this settlement ran: that use must stay counted here.
            if (forget && owner.Connections == 0 && Environment.TickCount64 - owner.UsedAt >= (long)ForgetAfter.TotalMilliseconds)
            {
                gate.Forget(id, isTenant, owner);
            }
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or AppMsgException or OperationCanceledException)
        {
            // Kept for the next settlement: nothing given back is lost, and the old limits stay until then.
            owner.ApiCalls.GiveBack(apiCalls);
            owner.Messages.GiveBack(messages);
            LogFailed(logger, owner.GrainKey, e.Message);
        }
        finally
        {
            owner.Calls.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota settlement with {Owner} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string owner, string reason);
}
