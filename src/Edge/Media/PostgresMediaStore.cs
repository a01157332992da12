using System.Buffers;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace AppMsg.Edge.Media;

/// <summary>
/// Media in PostgreSQL (migration 0012): each blob as rows of <see cref="ChunkSize"/> bytes. An upload reads one chunk
/// from the caller, then borrows a pooled connection only to insert it (up to <see cref="InsertsInFlight"/> at once), so
/// a slow uploader holds no connection while it sends; a download likewise reads 1 MiB of chunks, returns the
/// connection, and writes them to the caller while the next are read. Memory per upload: at most four chunks (1 MiB);
/// per download: two reads (2 MiB).
/// </summary>
public sealed class PostgresMediaStore(NpgsqlDataSource database) : IMediaStore, IAsyncDisposable
{
    /// <summary>
    /// A store on its own pool of <paramref name="connectionString"/>. Its statements commit without waiting for the
    /// WAL flush (a chunk is not worth a disk sync of its own), except the one that completes an upload: that
    /// commit's flush covers every chunk written before it, so a stored object is durable once POST answers.
    /// </summary>
    public static PostgresMediaStore Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        return new PostgresMediaStore(NpgsqlDataSource.Create(builder.ConnectionString));
    }

    public const int ChunkSize = 256 * 1024;

    /// <summary>Chunk inserts of one upload at a time, each on a pooled connection: PostgreSQL spends most of an upload's time storing chunks.</summary>
    private const int InsertsInFlight = 3;

    /// <summary>Chunks one download query reads (a round trip per 1 MiB).</summary>
    private const int ChunksPerRead = 4;

    private const string Find = """
        SELECT o.tenant_id, o.blob_id, o.uploader, o.content_type, b.size, b.sha256, b.chunk_size
          FROM media_objects o JOIN media_blobs b ON b.blob_id = o.blob_id
         WHERE o.media_id = $1 AND b.sha256 IS NOT NULL
        """;

    /// <summary>The media pool: the file store keeps its metadata (blobs, objects) in the same tables.</summary>
    internal NpgsqlDataSource Database => database;

    public ValueTask DisposeAsync() => database.DisposeAsync();

    public async Task<StoredMedia> PutAsync(string tenantId, string uploader, string contentType, Stream body, long maxBytes, CancellationToken cancellation)
    {
        var blobId = Ids.New();
        await RunAsync(() => ExecuteAsync("INSERT INTO media_blobs (blob_id, tenant_id, chunk_size) VALUES ($1, $2, $3)", cancellation, blobId, tenantId, ChunkSize));
        try
        {
            var (size, sha256) = await WriteChunksAsync(blobId, body, maxBytes, cancellation);
            return await RunAsync(() => FinishAsync(tenantId, blobId, uploader, contentType, size, sha256, cancellation));
        }
        catch
        {
            // Interrupted, too large or failed: the pending blob and its chunks go (the sweep removes them if this fails too).
            try
            {
                await ExecuteAsync("DELETE FROM media_blobs WHERE blob_id = $1 AND sha256 IS NULL", CancellationToken.None, blobId);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
            }

            throw;
        }
    }

    public Task<StoredMedia?> FindAsync(string mediaId, CancellationToken cancellation) => RunAsync(async () =>
    {
        await using var command = database.CreateCommand(Find);
        command.Parameters.AddWithValue(mediaId);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation))
        {
            return null;
        }

        return new StoredMedia(mediaId, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
            Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(5)), reader.GetInt32(6));
    });

    public async Task CopyToAsync(StoredMedia media, long offset, long length, Stream destination, CancellationToken cancellation)
    {
        if (length <= 0)
        {
            return;
        }

        if (media.ChunkSize == FileMediaStore.InFiles)
        {
            throw new AppMsgException(ErrorCodes.Unavailable, "the media is kept in the file store (APPMSG_MEDIA_DIR), which this edge does not use");
        }

        var first = (int)(offset / media.ChunkSize);
        var last = (int)((offset + length - 1) / media.ChunkSize);
        var span = ChunksPerRead * media.ChunkSize;
        var current = ArrayPool<byte>.Shared.Rent(span);
        var next = ArrayPool<byte>.Shared.Rent(span);
        try
        {
            var read = await RunAsync(() => ReadChunksAsync(media.BlobId, first, Math.Min(last, first + ChunksPerRead - 1), current, cancellation));
            for (var n = first; n <= last; n += ChunksPerRead)
            {
                // The next chunks are read while these are written to the caller.
                var nextFirst = n + ChunksPerRead;
                var reading = nextFirst <= last
                    ? RunAsync(() => ReadChunksAsync(media.BlobId, nextFirst, Math.Min(last, nextFirst + ChunksPerRead - 1), next, cancellation))
                    : Task.FromResult(0);
                var readStart = (long)n * media.ChunkSize;
                var from = (int)Math.Max(0, offset - readStart);
                var to = (int)Math.Min(read, offset + length - readStart);
                try
                {
                    await destination.WriteAsync(current.AsMemory(from, to - from), cancellation);
                }
                finally
                {
                    read = await reading;
                }

                (current, next) = (next, current);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    public Task<IReadOnlyList<string>> ReferencingTimelinesAsync(string mediaId, int limit, CancellationToken cancellation) => RunAsync(async () =>
    {
        await using var command = database.CreateCommand("""
            SELECT DISTINCT timeline FROM msg_messages
             WHERE media_id = $1 AND (expires_at IS NULL OR expires_at > now()) LIMIT $2
            """);
        command.Parameters.AddWithValue(mediaId);
        command.Parameters.AddWithValue(limit);
        var timelines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            timelines.Add(reader.GetString(0));
        }

        return (IReadOnlyList<string>)timelines;
    });

    private async Task<(long Size, byte[] Sha256)> WriteChunksAsync(string blobId, Stream body, long maxBytes, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var rented = new List<byte[]>(InsertsInFlight + 1);
        var free = new Stack<byte[]>(InsertsInFlight + 1);
        var inFlight = new Queue<(Task Insert, byte[] Buffer)>(InsertsInFlight);
        long size = 0;
        var n = 0;
        try
        {
            while (true)
            {
                if (!free.TryPop(out var buffer))
                {
                    buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                    rented.Add(buffer);
                }

                // The next chunk arrives from the caller while earlier ones are inserted (on connections of their own).
                var count = await body.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellation);
                size += count;
                if (size > maxBytes)
                {
                    throw new AppMsgException(ErrorCodes.TooLarge, $"media must be at most {maxBytes} bytes");
                }

                if (count == 0 && n > 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, count);
                var chunk = n++;
                inFlight.Enqueue((RunAsync(() => InsertChunkAsync(blobId, chunk, buffer, count, cancellation)), buffer));
                if (inFlight.Count >= InsertsInFlight)
                {
                    var (insert, done) = inFlight.Dequeue();
                    await insert;
                    free.Push(done);
                }

                if (count < ChunkSize)
                {
                    break;
                }
            }

            while (inFlight.TryDequeue(out var last))
            {
                await last.Insert;
            }

            return (size, hash.GetHashAndReset());
        }
        finally
        {
            // Whatever happened, no insert may still use a buffer once it is returned.
            foreach (var (insert, _) in inFlight)
            {
                try
                {
                    await insert;
                }
                catch
                {
                }
            }

            foreach (var buffer in rented)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task InsertChunkAsync(string blobId, int n, byte[] data, int length, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand("INSERT INTO media_chunks (blob_id, n, data) VALUES ($1, $2, $3)");
        command.Parameters.AddWithValue(blobId);
        command.Parameters.AddWithValue(n);
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = data.AsMemory(0, length), NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Reads chunks <paramref name="first"/> to <paramref name="last"/> one after another into <paramref name="into"/>; returns the bytes read.</summary>
    private async Task<int> ReadChunksAsync(string blobId, int first, int last, byte[] into, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand("SELECT n, data FROM media_chunks WHERE blob_id = $1 AND n BETWEEN $2 AND $3 ORDER BY n");
        command.Parameters.AddWithValue(blobId);
        command.Parameters.AddWithValue(first);
        command.Parameters.AddWithValue(last);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellation);
        var length = 0;
        var expected = first;
        while (await reader.ReadAsync(cancellation))
        {
            if (reader.GetInt32(0) != expected++)
            {
                break;
            }

            length += (int)reader.GetBytes(1, 0, into, length, into.Length - length);
        }

        return expected == last + 1 ? length : throw new AppMsgException(ErrorCodes.Unavailable, "a media chunk is missing; retry later");
    }

    /// <summary>
    /// Completes an upload: when the tenant already has these bytes, the new object points at that blob and the
    /// pending one goes; otherwise the pending blob becomes the tenant's copy. Two identical uploads finishing at once
    /// meet at the unique index, and the loser takes the winner's blob on its second try.
    /// </summary>
    private async Task<StoredMedia> FinishAsync(string tenantId, string pendingBlob, string uploader, string contentType, long size, byte[] sha256, CancellationToken cancellation)
    {
        var mediaId = Ids.New();
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await database.OpenConnectionAsync(cancellation);
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            try
            {
                await using (var durable = new NpgsqlCommand("SET LOCAL synchronous_commit = on", connection, transaction))
                {
                    await durable.ExecuteNonQueryAsync(cancellation);
                }

                string blobId;
                await using (var existing = new NpgsqlCommand("SELECT blob_id FROM media_blobs WHERE tenant_id = $1 AND sha256 = $2 FOR SHARE", connection, transaction))
                {
                    existing.Parameters.AddWithValue(tenantId);
                    existing.Parameters.AddWithValue(sha256);
                    blobId = await existing.ExecuteScalarAsync(cancellation) as string ?? pendingBlob;
                }

                var sql = blobId == pendingBlob
                    ? "UPDATE media_blobs SET sha256 = $2, size = $3 WHERE blob_id = $1"
                    : "DELETE FROM media_blobs WHERE blob_id = $1";
                await using (var settle = new NpgsqlCommand(sql, connection, transaction))
                {
                    settle.Parameters.AddWithValue(pendingBlob);
                    if (blobId == pendingBlob)
                    {
                        settle.Parameters.AddWithValue(sha256);
                        settle.Parameters.AddWithValue(size);
                    }

                    await settle.ExecuteNonQueryAsync(cancellation);
                }

                await MediaObjectRows.InsertAsync(connection, transaction, mediaId, tenantId, blobId, uploader, contentType, cancellation);

                await transaction.CommitAsync(cancellation);
                return new StoredMedia(mediaId, tenantId, blobId, uploader, contentType, size, Convert.ToHexStringLower(sha256), ChunkSize, blobId == pendingBlob);
            }
            catch (PostgresException e) when (attempt < 2 && e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellation, params object[] values)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Database failures become <c>unavailable</c>, never a 500.</summary>
    internal static async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new AppMsgException(ErrorCodes.Unavailable, "the media store does not answer; retry later");
        }
    }

    internal static async Task RunAsync(Func<Task> operation) => await RunAsync(async () =>
    {
        await operation();
        return true;
    });
}
