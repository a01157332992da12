using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AppMsg.Grains.Directory;

/// <summary>
/// At silo start, copies into the tenant list every tenant whose grain state has no row there yet: the tenants of a
/// deployment that predates the list (migration 18). Idempotent (one <c>INSERT ... ON CONFLICT DO NOTHING</c> over the
/// tenant state rows), so every silo runs it and two silos starting together do no harm; a database that does not
/// answer is tried again every 10 s until the copy is done.
/// </summary>
public sealed partial class TenantBackfill(TenantIndex tenants, IOptions<ClusterOptions> cluster, ILogger<TenantBackfill> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Completes once this silo's copy is done.</summary>
    public Task Done => done.Task;

    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One copy; returns the rows added.</summary>
    public Task<int> RunOnceAsync() => tenants.BackfillAsync(cluster.Value.ServiceId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var added = await RunOnceAsync();
                if (added > 0)
                {
                    LogAdded(logger, added);
                }

                done.TrySetResult();
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                LogFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Added {Count} tenants created before the tenant list to it")]
    private static partial void LogAdded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copying older tenants into the tenant list failed, retrying in 10 s: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
