using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AppMsg.Grains.Timelines;

/// <summary>
/// Deletes expired messages and clientMsgId records older than 24 hours, in small batches, on one silo
/// at a time (an advisory lock). The newest message of a timeline is kept even when expired: its seq is
/// where the owner grain resumes numbering, and a seq must never be handed out twice.
/// </summary>
public sealed partial class TimelinePruner(NpgsqlDataSource database, IOptions<TimelinePrunerOptions> options, ILogger<TimelinePruner> logger)
    : BackgroundService
{
    private const long LockKey = 0x61707070_72756e65; // "appprune"

    private const string DeleteExpired = """
        DELETE FROM msg_messages m
         USING (SELECT timeline, seq FROM msg_messages e
                 WHERE e.expires_at < now()
                   AND e.seq < (SELECT max(seq) FROM msg_messages l WHERE l.timeline = e.timeline)
                 LIMIT $1) doomed
         WHERE m.timeline = doomed.timeline AND m.seq = doomed.seq
        """;

    private const string DeleteClientIds = """
        DELETE FROM msg_client_ids c
         USING (SELECT sender, client_msg_id, timeline FROM msg_client_ids
                 WHERE created_at < now() - interval '24 hours' LIMIT $1) doomed
         WHERE c.sender = doomed.sender AND c.client_msg_id = doomed.client_msg_id AND c.timeline = doomed.timeline
        """;

    /// <summary>Rows deleted so far by this silo.</summary>
    public long Pruned => Interlocked.Read(ref pruned);

    private long pruned;

    /// <summary>One pass: deletes what has expired, batch by batch; returns the rows deleted (0 when another silo holds the lock).</summary>
    public async Task<long> PruneOnceAsync(CancellationToken cancellation = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
        {
            tryLock.Parameters.AddWithValue(LockKey);
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellation))!)
            {
                return 0;
            }
        }

        long deleted = 0;
        try
        {
            foreach (var sql in new[] { DeleteExpired, DeleteClientIds })
            {
                int batch;
                do
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    command.Parameters.AddWithValue(options.Value.BatchSize);
                    batch = await command.ExecuteNonQueryAsync(cancellation);
                    deleted += batch;
                }
                while (batch == options.Value.BatchSize && !cancellation.IsCancellationRequested);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            unlock.Parameters.AddWithValue(LockKey);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }

        Interlocked.Add(ref pruned, deleted);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await PruneOnceAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(logger, deleted);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogPruneFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} expired rows")]
    private static partial void LogPruned(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired messages failed: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
