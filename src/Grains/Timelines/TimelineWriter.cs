using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AppMsg.Grains.Timelines;

/// <summary>
/// Group commit for timeline appends: appends from every grain of the silo queue here, and one loop
/// writes whatever has gathered as a single statement (one round trip, one commit) while the next
/// batch gathers. Each caller's task completes only after its row is committed, so "accepted" always
/// means "stored"; the database never sees a transaction per message.
/// </summary>
public sealed partial class TimelineWriter : IAsyncDisposable
{
    // A message with a clientMsgId is stored only if its (sender, clientMsgId, timeline) is new, or older
    // than the 24-hour window; both rows go in one statement, so neither exists without the other.
    private const string InsertBatch = """
        WITH batch AS (
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::bytea[], $8::smallint[], $9::text[], $10::text[])
                AS b (timeline, seq, message_id, sender, created_at, expires_at, envelope, terminal_types, client_msg_id, media_id)
        ), claimed AS (
            INSERT INTO msg_client_ids AS c (sender, client_msg_id, timeline, seq, message_id, created_at)
            SELECT sender, client_msg_id, timeline, seq, message_id, created_at FROM batch WHERE client_msg_id IS NOT NULL
            ON CONFLICT (sender, client_msg_id, timeline) DO UPDATE
               SET seq = excluded.seq, message_id = excluded.message_id, created_at = excluded.created_at
             WHERE c.created_at < excluded.created_at - interval '24 hours'
            RETURNING timeline, seq
        )
        INSERT INTO msg_messages (timeline, seq, message_id, sender, created_at, expires_at, envelope, terminal_types, media_id)
        SELECT timeline, seq, message_id, sender, created_at, expires_at, envelope, terminal_types, media_id FROM batch b
         WHERE b.client_msg_id IS NULL OR EXISTS (SELECT 1 FROM claimed c WHERE c.timeline = b.timeline AND c.seq = b.seq)
        ON CONFLICT (timeline, seq) DO NOTHING
        RETURNING timeline, seq
        """;

    private readonly NpgsqlDataSource database;
    private readonly TimelineWriterOptions options;
    private readonly ILogger<TimelineWriter> logger;
    private readonly Channel<Pending> queue;
    private readonly Task loop;

    // A timeline whose append failed: its later seqs, already queued, must not be stored (a gap would follow),
    // until its owner has re-read where the timeline stands and says so (ClearFailure).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> failedFrom = new(StringComparer.Ordinal);
    private long batches;
    private long messages;

    public TimelineWriter(NpgsqlDataSource database, IOptions<TimelineWriterOptions> options, ILogger<TimelineWriter> logger)
    {
        this.database = database;
        this.options = options.Value;
        this.logger = logger;
        queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(this.options.MaxQueued) { SingleReader = true });
        loop = Task.Run(RunAsync);
    }

    /// <summary>Round trips made so far (for the benchmark and the tests: far fewer than messages under load).</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Messages committed so far.</summary>
    public long Messages => Interlocked.Read(ref messages);

    /// <summary>Stores the message; completes once it is committed.</summary>
    /// <exception cref="AppMsgException"><c>conflict</c> when the (timeline, seq) exists, or the sender's clientMsgId was
    /// used for this timeline in the last 24 hours (the caller then looks up the first result); <c>unavailable</c> when the
    /// database cannot commit in time.</exception>
    public async Task AppendAsync(StoredMessage message)
    {
        var pending = new Pending(message);
        await queue.Writer.WriteAsync(pending);
        await pending.Committed.Task;
    }

    /// <summary>
    /// Called by a timeline's owner once every append it started has settled and before it re-reads the last
    /// seq: appends to the timeline are stored again.
    /// </summary>
    public void ClearFailure(string timeline) => failedFrom.TryRemove(timeline, out _);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(options.MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < options.MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await WriteAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<Pending> queued)
    {
        var batch = WithoutFailedTimelines(queued);
        if (batch.Count == 0)
        {
            return;
        }

        var count = batch.Count;
        var timelines = new string[count];
        var seqs = new long[count];
        var ids = new string[count];
        var senders = new string[count];
        var created = new DateTimeOffset[count];
        var expires = new DateTimeOffset?[count];
        var envelopes = new byte[count][];
        var terminalTypes = new short[count];
        var clientIds = new string?[count];
        var mediaIds = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var m = batch[i].Message;
            (timelines[i], seqs[i], ids[i], senders[i], created[i], expires[i], envelopes[i], terminalTypes[i], clientIds[i], mediaIds[i]) =
                (m.Timeline, m.Seq, m.MessageId, m.Sender, m.CreatedAt, m.ExpiresAt, m.Envelope, (short)m.TerminalTypes, m.ClientMsgId, m.MediaId);
        }

        var stored = new HashSet<(string, long)>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(options.CommitTimeout);
            await using var command = database.CreateCommand(InsertBatch);
            command.Parameters.Add(new NpgsqlParameter { Value = timelines, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = seqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = senders, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = created, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = expires, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = envelopes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = terminalTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
            command.Parameters.Add(new NpgsqlParameter { Value = clientIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = mediaIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(timeout.Token);
            while (await reader.ReadAsync(timeout.Token))
            {
                stored.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogBatchFailed(logger, count, e.Message);
            Metrics.SiloMetrics.CommitFailed(count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            var unavailable = new AppMsgException(ErrorCodes.Unavailable, "the message store does not answer; retry later");
            foreach (var pending in batch)
            {
                Failed(pending.Message);
                pending.Committed.TrySetException(unavailable);
            }

            return;
        }

        Metrics.SiloMetrics.Committed(count, stored.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref messages, stored.Count);
        foreach (var pending in batch)
        {
            if (stored.Contains((pending.Message.Timeline, pending.Message.Seq)))
            {
                pending.Committed.TrySetResult();
            }
            else
            {
                Failed(pending.Message);
                pending.Committed.TrySetException(new AppMsgException(ErrorCodes.Conflict,
                    $"{pending.Message.Timeline} already has a message {pending.Message.Seq}: another owner is writing this timeline"));
            }
        }
    }

    private List<Pending> WithoutFailedTimelines(List<Pending> queued)
    {
        if (failedFrom.IsEmpty)
        {
            return queued;
        }

        var batch = new List<Pending>(queued.Count);
        foreach (var pending in queued)
        {
            if (failedFrom.TryGetValue(pending.Message.Timeline, out var failed) && pending.Message.Seq > failed)
            {
                pending.Committed.TrySetException(new AppMsgException(ErrorCodes.Unavailable, "an earlier message of this timeline was not stored; retry"));
            }
            else
            {
                batch.Add(pending);
            }
        }

        return batch;
    }

    private void Failed(StoredMessage message) =>
        failedFrom.AddOrUpdate(message.Timeline, message.Seq, (_, known) => Math.Min(known, message.Seq));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} messages could not be stored: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);

    private sealed class Pending(StoredMessage message)
    {
        public StoredMessage Message { get; } = message;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
