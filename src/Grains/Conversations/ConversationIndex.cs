using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace AppMsg.Grains.Conversations;

/// <summary>
/// Keeps the conversation index (<c>msg_conversations</c>) current as messages are stored. Timeline grains offer each stored
/// message's heads without waiting; one loop per silo writes whatever gathered (up to 2,000 rows, one row per key) in one
/// upsert. The index trails the store by one round trip; a batch that fails is logged and dropped (the next message of
/// the conversation repairs its head; a read mark lost this way is the sender's own and is set again by its next message).
/// Budget: a queue of 20,000 heads per silo (a full queue drops the newest offer and counts it in the log) and one
/// database connection while a batch is written.
/// </summary>
public sealed partial class ConversationIndex : IAsyncDisposable
{
    private const int MaxBatch = 2_000;
    private const int QueueCapacity = 20_000;
    private static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(5);

    private const string Upsert = """
        INSERT INTO msg_conversations AS c (owner, address, last_seq, message_id, sender, last_at, read_seq)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::bigint[])
        ON CONFLICT (owner, address) DO UPDATE SET
            last_seq   = CASE WHEN excluded.last_seq > coalesce(c.last_seq, 0) THEN excluded.last_seq ELSE c.last_seq END,
            message_id = CASE WHEN excluded.last_seq > coalesce(c.last_seq, 0) THEN excluded.message_id ELSE c.message_id END,
            sender     = CASE WHEN excluded.last_seq > coalesce(c.last_seq, 0) THEN excluded.sender ELSE c.sender END,
            last_at    = CASE WHEN excluded.last_seq > coalesce(c.last_seq, 0) THEN excluded.last_at ELSE c.last_at END,
            read_seq   = greatest(c.read_seq, excluded.read_seq)
        """;

    private readonly NpgsqlDataSource database;
    private readonly ILogger<ConversationIndex> logger;
    private readonly Channel<ConversationHead> queue = Channel.CreateBounded<ConversationHead>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task loop;
    private long dropped;

    public ConversationIndex(NpgsqlDataSource database, ILogger<ConversationIndex> logger)
    {
        this.database = database;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a head; never waits.</summary>
    public void Offer(ConversationHead head)
    {
        if (!queue.Writer.TryWrite(head))
        {
            Interlocked.Increment(ref dropped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task RunAsync()
    {
        var batch = new Dictionary<(string, string), ConversationHead>();
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var head))
            {
                var key = (head.Owner, head.Address);
                batch[key] = batch.TryGetValue(key, out var known) ? Merge(known, head) : head;
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch.Values);
                batch.Clear();
            }

            if (Interlocked.Exchange(ref dropped, 0) is var lost and > 0)
            {
                LogDropped(logger, lost);
            }
        }
    }

    private static ConversationHead Merge(ConversationHead known, ConversationHead next)
    {
        var newer = (next.LastSeq ?? 0) > (known.LastSeq ?? 0) ? next : known;
        return newer with { ReadSeq = Math.Max(known.ReadSeq, next.ReadSeq) };
    }

    private async Task WriteAsync(ICollection<ConversationHead> heads)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CommitTimeout);
            await using var command = database.CreateCommand(Upsert);
            Add(command, heads.Select(h => h.Owner).ToArray(), NpgsqlDbType.Text);
            Add(command, heads.Select(h => h.Address).ToArray(), NpgsqlDbType.Text);
            Add(command, heads.Select(h => h.LastSeq).ToArray(), NpgsqlDbType.Bigint);
            Add(command, heads.Select(h => h.MessageId).ToArray(), NpgsqlDbType.Text);
            Add(command, heads.Select(h => h.Sender).ToArray(), NpgsqlDbType.Text);
            Add(command, heads.Select(h => h.LastAt).ToArray(), NpgsqlDbType.TimestampTz);
            Add(command, heads.Select(h => h.ReadSeq).ToArray(), NpgsqlDbType.Bigint);
            await command.ExecuteNonQueryAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogBatchFailed(logger, heads.Count, e.Message);
        }
    }

    private static void Add(NpgsqlCommand command, Array values, NpgsqlDbType type) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type });

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} conversation heads could not be stored: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The conversation index queue was full: {Count} heads dropped")]
    private static partial void LogDropped(ILogger logger, long count);
}
