using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace AppMsg.Grains.Directory;

/// <summary>
/// Deletes the stored rows of login tokens that expired (or were marked revoked by older versions) and are never
/// presented again, whose grains therefore never prune them. One silo at a time (an advisory lock) walks the token
/// rows in key order, a page per statement, so each statement reads a bounded number of rows and the whole pass
/// reads each row once. A token grain still active when its row goes finds the row gone when it next clears it.
/// </summary>
public sealed partial class ExpiredTokenSweeper(
    NpgsqlDataSource database, IOptions<ExpiredTokenSweepOptions> options, IOptions<ClusterOptions> cluster, ILogger<ExpiredTokenSweeper> logger)
    : BackgroundService
{
    private const long LockKey = 0x61707074_6f6b656e; // "apptoken"

    /// <summary>The grain type Orleans stores <see cref="AuthTokenGrain"/>'s state under.</summary>
    public const string GrainType = AuthTokenGrain.StateName;

    // $1 service id, $2 grain type, ($3, $4, $5) the last key of the previous page, $6 the page size. Answers the
    // deleted count and the page's last key (no row: the walk is done).
    private const string SweepPage = """
        WITH page AS (
            SELECT grainidn0, grainidn1, grainidextensionstring, payloadbinary
              FROM orleansstorage
             WHERE serviceid = $1 AND graintypestring = $2
               AND (grainidn0, grainidn1, grainidextensionstring) > ($3, $4, $5)
             ORDER BY grainidn0, grainidn1, grainidextensionstring
             LIMIT $6
        ), doomed AS (
            DELETE FROM orleansstorage s
             USING page p
             WHERE s.serviceid = $1 AND s.graintypestring = $2
               AND s.grainidn0 = p.grainidn0 AND s.grainidn1 = p.grainidn1
               AND s.grainidextensionstring = p.grainidextensionstring
               AND (p.payloadbinary IS NULL
                    OR (convert_from(p.payloadbinary, 'UTF8')::jsonb ->> 'Revoked') = 'true'
                    OR (convert_from(p.payloadbinary, 'UTF8')::jsonb #>> '{Principal,ExpiresAt}')::timestamptz < now())
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM doomed), grainidn0, grainidn1, grainidextensionstring
          FROM page
         ORDER BY grainidn0 DESC, grainidn1 DESC, grainidextensionstring DESC
         LIMIT 1
        """;

    /// <summary>Rows deleted so far by this silo.</summary>
    public long Swept => Interlocked.Read(ref swept);

    private long swept;

    /// <summary>One pass over every token row; returns the rows deleted (0 when another silo holds the lock).</summary>
    public async Task<long> SweepOnceAsync(CancellationToken cancellation = default)
    {
        var deleted = await OneSiloAtATime.RunAsync(database, LockKey, async (connection, token) =>
        {
            long count = 0;
            (long N0, long N1, string Extension) after = (long.MinValue, long.MinValue, "");
            while (!token.IsCancellationRequested)
            {
                await using var command = new NpgsqlCommand(SweepPage, connection);
                command.Parameters.AddWithValue(cluster.Value.ServiceId);
                command.Parameters.AddWithValue(GrainType);
                command.Parameters.AddWithValue(after.N0);
                command.Parameters.AddWithValue(after.N1);
                command.Parameters.AddWithValue(after.Extension);
                command.Parameters.AddWithValue(options.Value.PageSize);
                await using var reader = await command.ExecuteReaderAsync(token);
                if (!await reader.ReadAsync(token))
                {
                    break;
                }

                count += reader.GetInt64(0);
                after = (reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
            }

            return count;
        }, cancellation);

        Interlocked.Add(ref swept, deleted);
        return deleted;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        OneSiloAtATime.RepeatAsync(options.Value.Interval, SweepOnceAsync, deleted => LogSwept(logger, deleted), reason => LogSweepFailed(logger, reason), stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired login token rows")]
    private static partial void LogSwept(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired login tokens failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
