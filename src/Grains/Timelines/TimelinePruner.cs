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
        var deleted = await OneSiloAtATime.RunAsync(database, LockKey, async (connection, token) =>
        {
            long count = 0;
            foreach (var sql in new[] { DeleteExpired, DeleteClientIds })
            {
                int batch;
                do
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    command.Parameters.AddWithValue(options.Value.BatchSize);
                    batch = await command.ExecuteNonQueryAsync(token);
                    count += batch;
                }
                while (batch == options.Value.BatchSize && !token.IsCancellationRequested);
            }

            return count;
        }, cancellation);

        Interlocked.Add(ref pruned, deleted);
        return deleted;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        OneSiloAtATime.RepeatAsync(options.Value.Interval, PruneOnceAsync, deleted => LogPruned(logger, deleted), reason => LogPruneFailed(logger, reason), stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} expired rows")]
    private static partial void LogPruned(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired messages failed: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
