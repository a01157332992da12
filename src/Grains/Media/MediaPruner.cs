using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AppMsg.Grains.Media;

/// <summary>
/// Deletes media no living message references once its grace has passed, then blobs no media object points at, then
/// uploads that never finished; in batches, on one silo at a time (an advisory lock).
/// </summary>
public sealed partial class MediaPruner(NpgsqlDataSource database, IGrainFactory grains, IOptions<MediaPrunerOptions> options, ILogger<MediaPruner> logger) : BackgroundService
{
    private const long LockKey = 0x61707061_6d656469; // "appamedi"

    // touched_at is checked on the deleted row itself too: a claim (MediaReferences) that commits first saves it.
    private const string DeleteUnreferenced = """
        DELETE FROM media_objects o
         USING (SELECT media_id FROM media_objects x
                 WHERE x.touched_at < now() - $2::interval
                   AND NOT EXISTS (SELECT 1 FROM msg_messages m
                                    WHERE m.media_id = x.media_id AND (m.expires_at IS NULL OR m.expires_at > now()))
                 LIMIT $1) doomed
         WHERE o.media_id = doomed.media_id AND o.touched_at < now() - $2::interval
        """;

    private const string DeleteOrphanBlobs = """
        DELETE FROM media_blobs b
         USING (SELECT blob_id FROM media_blobs x
                 WHERE x.sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM media_objects o WHERE o.blob_id = x.blob_id)
                 LIMIT $1) doomed
         WHERE b.blob_id = doomed.blob_id
        RETURNING b.tenant_id, b.size
        """;

    private const string DeleteAbandonedUploads = """
        DELETE FROM media_blobs WHERE blob_id IN
            (SELECT blob_id FROM media_blobs WHERE sha256 IS NULL AND created_at < now() - $2::interval LIMIT $1)
        """;

    /// <summary>One pass; returns the objects and blobs deleted (0 when another silo holds the lock).</summary>
    public async Task<long> PruneOnceAsync(CancellationToken cancellation = default)
    {
        var o = options.Value;
        return await OneSiloAtATime.RunAsync(database, LockKey, async (connection, token) =>
        {
            long count = 0;
            foreach (var (sql, age) in new[] { (DeleteUnreferenced, o.Grace), (DeleteOrphanBlobs, TimeSpan.Zero), (DeleteAbandonedUploads, o.PendingLifetime) })
            {
                int batch;
                do
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    command.Parameters.AddWithValue(o.BatchSize);
                    if (sql != DeleteOrphanBlobs)
                    {
                        command.Parameters.AddWithValue(age);
                    }

                    try
                    {
                        batch = sql == DeleteOrphanBlobs ? await DeleteBlobsAsync(command, token) : await command.ExecuteNonQueryAsync(token);
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                    {
                        // An upload of the same bytes took the blob over while it was being deleted: next pass.
                        batch = 0;
                    }

                    count += batch;
                }
                while (batch == o.BatchSize && !token.IsCancellationRequested);
            }

            return count;
        }, cancellation);
    }

    /// <summary>Deletes a batch of blobs and gives their bytes back to their tenants' <c>mediaBytes</c> quota; returns the blobs deleted.</summary>
    private async Task<int> DeleteBlobsAsync(NpgsqlCommand command, CancellationToken cancellation)
    {
        var freed = new Dictionary<string, long>(StringComparer.Ordinal);
        var deleted = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                deleted++;
                var tenantId = reader.GetString(0);
                freed[tenantId] = freed.GetValueOrDefault(tenantId) + reader.GetInt64(1);
            }
        }

        foreach (var (tenantId, bytes) in freed)
        {
            try
            {
                await grains.GetGrain<AppMsg.Quotas.IQuotaGrain>(AppMsg.Quotas.QuotaOwners.Tenant(tenantId)).ReleaseMediaAsync(bytes);
            }
            catch (Exception e) when (e is Orleans.Runtime.OrleansException or TimeoutException)
            {
                // The blob is gone; its bytes stay counted (the tenant is refused early rather than late).
                LogReleaseFailed(logger, tenantId, bytes, e.Message);
            }
        }

        return deleted;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        OneSiloAtATime.RepeatAsync(options.Value.Interval, PruneOnceAsync, deleted => LogPruned(logger, deleted), reason => LogPruneFailed(logger, reason), stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} media objects and blobs")]
    private static partial void LogPruned(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruned media of tenant {TenantId} ({Bytes} bytes) stays counted in its quota: {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string tenantId, long bytes, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning media failed: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
