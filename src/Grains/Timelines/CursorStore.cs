using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using AppMsg.Messaging;
using NpgsqlTypes;

namespace AppMsg.Grains.Timelines;

/// <summary>
/// Stores read cursors (table <c>msg_cursors</c>). Saves from every user's cursor grain queue here and are
/// written together, one upsert statement per round trip, so thousands of users acknowledging messages
/// cost the database a few commits a second rather than one each.
/// </summary>
public sealed partial class CursorStore : IAsyncDisposable
{
    private const int MaxBatch = 5_000;
    private static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(5);

    private const string Upsert = """
        INSERT INTO msg_cursors (user_id, terminal_type, device_id, timeline, seq, acked_from, acked_at)
        SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::timestamptz[])
        ON CONFLICT (user_id, terminal_type, device_id, timeline) DO UPDATE SET
            seq = greatest(msg_cursors.seq, excluded.seq),
            acked_from = CASE WHEN excluded.seq > msg_cursors.seq THEN excluded.acked_from ELSE msg_cursors.acked_from END,
            acked_at = CASE WHEN excluded.seq > msg_cursors.seq THEN excluded.acked_at ELSE msg_cursors.acked_at END
        """;

    private readonly NpgsqlDataSource database;
    private readonly ILogger<CursorStore> logger;
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly Task loop;

    public CursorStore(NpgsqlDataSource database, ILogger<CursorStore> logger)
    {
        this.database = database;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <summary>A user's cursors.</summary>
    public async Task<Dictionary<CursorKey, CursorPosition>> LoadAsync(string userId) =>
        (await LoadManyAsync([userId])).GetValueOrDefault(userId) ?? [];

    /// <summary>The cursors of several users in one statement (users with none are absent).</summary>
    public async Task<Dictionary<string, Dictionary<CursorKey, CursorPosition>>> LoadManyAsync(IReadOnlyCollection<string> userIds)
    {
        await using var command = database.CreateCommand("""
            SELECT c.user_id, c.terminal_type, c.device_id, c.timeline, c.seq, c.acked_from, c.acked_at
              FROM unnest($1::text[]) AS wanted(id) CROSS JOIN LATERAL (SELECT * FROM msg_cursors WHERE user_id = wanted.id OFFSET 0) c
            """);
        command.Parameters.AddWithValue(userIds as string[] ?? [.. userIds]);
        var byUser = new Dictionary<string, Dictionary<CursorKey, CursorPosition>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var userId = reader.GetString(0);
            if (!byUser.TryGetValue(userId, out var cursors))
            {
                byUser[userId] = cursors = [];
            }

            var seq = reader.GetInt64(4);
            cursors[new CursorKey(reader.GetInt16(1), reader.GetString(2), reader.GetString(3))] = reader.IsDBNull(6)
                ? new CursorPosition(seq, seq, null)
                : new CursorPosition(seq, reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6));
        }

        return byUser;
    }

    /// <summary>Saves a user's moved cursors; completes once they are committed.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when the database does not commit in time.</exception>
    public async Task SaveAsync(string userId, IReadOnlyCollection<KeyValuePair<CursorKey, CursorPosition>> cursors)
    {
        var pending = new Pending(userId, cursors);
        await queue.Writer.WriteAsync(pending);
        await pending.Saved.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        while (await queue.Reader.WaitToReadAsync())
        {
            var rows = 0;
            while (rows < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rows += pending.Cursors.Count;
            }

            await WriteAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        // One row per key: a statement may not upsert the same row twice.
        var latest = new Dictionary<(string, CursorKey), CursorPosition>();
        foreach (var pending in batch)
        {
            foreach (var (cursor, position) in pending.Cursors)
            {
                var key = (pending.UserId, cursor);
                latest[key] = !latest.TryGetValue(key, out var known) ? position
                    : position.Seq >= known.Seq ? position with { AckedFrom = Math.Min(known.AckedFrom, position.AckedFrom) }
                    : known with { AckedFrom = Math.Min(known.AckedFrom, position.AckedFrom) };
            }
        }

        try
        {
            using var timeout = new CancellationTokenSource(CommitTimeout);
            await using var command = database.CreateCommand(Upsert);
            command.Parameters.Add(new NpgsqlParameter { Value = latest.Keys.Select(k => k.Item1).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = latest.Keys.Select(k => (short)k.Item2.TerminalType).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
            command.Parameters.Add(new NpgsqlParameter { Value = latest.Keys.Select(k => k.Item2.DeviceId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = latest.Keys.Select(k => k.Item2.Timeline).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = latest.Values.Select(p => p.Seq).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = latest.Values.Select(p => p.AckedFrom).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = latest.Values.Select(p => p.AckedAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogBatchFailed(logger, latest.Count, e.Message);
            var unavailable = new AppMsgException(ErrorCodes.Unavailable, "the cursor store does not answer; retry later");
            foreach (var pending in batch)
            {
                pending.Saved.TrySetException(unavailable);
            }

            return;
        }

        foreach (var pending in batch)
        {
            pending.Saved.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} cursors could not be stored: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);

    private sealed class Pending(string userId, IReadOnlyCollection<KeyValuePair<CursorKey, CursorPosition>> cursors)
    {
        public string UserId { get; } = userId;

        public IReadOnlyCollection<KeyValuePair<CursorKey, CursorPosition>> Cursors { get; } = cursors;

        public TaskCompletionSource Saved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
