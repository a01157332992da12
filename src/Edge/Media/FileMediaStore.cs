using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Npgsql;

namespace AppMsg.Edge.Media;

/// <summary>
/// Media bytes as files under <c>APPMSG_MEDIA_DIR</c> (docs/media.md, "File store"); the metadata (blobs, objects,
/// references) stays in PostgreSQL's media tables, so dedupe, the read rule and the silo's pruning are the PostgreSQL
/// store's. A blob is the file <c>{root}/{tenant}/{sha256}</c>: written under <c>{root}/.tmp</c>, then (unless the
/// tenant has these bytes already) renamed into place, and file and directory flushed to disk, all before the commit
/// that records it. A file no blob records is never read, so one left half-flushed by a crash does no harm. Renaming into place
/// and the sweep's deletion (<see cref="DeleteIfUnrecordedAsync"/>) both hold the content's transaction lock, so a
/// file is never deleted while an upload of the same bytes records it. Blobs stored in PostgreSQL before the switch
/// (chunk rows) are still served from there.
/// </summary>
public sealed class FileMediaStore(PostgresMediaStore metadata, string root) : IMediaStore, IAsyncDisposable
{
    /// <summary><c>media_blobs.chunk_size</c> of a blob whose bytes are a file of this store.</summary>
    public const int InFiles = 0;

    /// <summary>Bytes read from the caller, or from the file, per step (two buffers per transfer).</summary>
    private const int BufferSize = 1024 * 1024;

    /// <summary>First key of the per-content transaction lock (<c>pg_advisory_xact_lock(int, int)</c>): "medi".</summary>
    private const int ContentLock = 0x6d656469;

    private const string TemporaryFolder = ".tmp";

    public static FileMediaStore Create(string connectionString, string directory)
    {
        var root = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(root, TemporaryFolder));
        return new FileMediaStore(PostgresMediaStore.Create(connectionString), root);
    }

    /// <summary>The directory holding every tenant's files.</summary>
    public string Root => root;

    /// <summary>Where uploads are written before they are complete.</summary>
    public string TemporaryDirectory => Path.Combine(root, TemporaryFolder);

    internal NpgsqlDataSource Database => metadata.Database;

    public ValueTask DisposeAsync() => metadata.DisposeAsync();

    /// <summary>The file of a tenant's content.</summary>
    public string PathOf(string tenantId, string sha256) => Path.Combine(root, tenantId, sha256);

    public async Task<StoredMedia> PutAsync(string tenantId, string uploader, string contentType, Stream body, long maxBytes, CancellationToken cancellation)
    {
        var temporary = Path.Combine(TemporaryDirectory, Ids.New() + ".part");
        SafeFileHandle? file = null;
        try
        {
            file = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            var (size, sha256) = await WriteAsync(file, body, maxBytes, cancellation);
            // The bytes go to disk while the rows are written; the commit waits for both.
            var flushed = Task.Run(() => RandomAccess.FlushToDisk(file), CancellationToken.None);
            return await PostgresMediaStore.RunAsync(() => RecordAsync(tenantId, uploader, contentType, flushed, temporary, size, sha256, cancellation));
        }
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && !cancellation.IsCancellationRequested)
        {
            throw new AppMsgException(ErrorCodes.Unavailable, "the media directory cannot be written; retry later");
        }
        finally
        {
            file?.Dispose();
            // Interrupted, too large, failed, or the tenant had these bytes already (after a rename there is nothing here).
            File.Delete(temporary);
        }
    }

    public Task<StoredMedia?> FindAsync(string mediaId, CancellationToken cancellation) => metadata.FindAsync(mediaId, cancellation);

    public Task<IReadOnlyList<string>> ReferencingTimelinesAsync(string mediaId, int limit, CancellationToken cancellation) =>
        metadata.ReferencingTimelinesAsync(mediaId, limit, cancellation);

    public async Task CopyToAsync(StoredMedia media, long offset, long length, Stream destination, CancellationToken cancellation)
    {
        if (media.ChunkSize != InFiles)
        {
            await metadata.CopyToAsync(media, offset, length, destination, cancellation);
            return;
        }

        if (length <= 0)
        {
            return;
        }

        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(PathOf(media.TenantId, media.Sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Recorded but not here: this edge does not see the directory the others write to.
            throw new AppMsgException(ErrorCodes.Unavailable, "the media file cannot be read; retry later");
        }

        using (file)
        {
            await CopyAsync(file, offset, length, destination, cancellation);
        }
    }

    /// <summary>
    /// Deletes the file of a tenant's content unless a blob records it, holding the content's lock so that no upload
    /// records it meanwhile; true when it is gone. Used by <see cref="FileMediaSweeper"/>.
    /// </summary>
    public async Task<bool> DeleteIfUnrecordedAsync(string tenantId, string sha256, CancellationToken cancellation)
    {
        await using var connection = await Database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var hash = Convert.FromHexString(sha256);
        await LockAsync(connection, transaction, tenantId, hash, cancellation);
        await using var recorded = new NpgsqlCommand("SELECT 1 FROM media_blobs WHERE tenant_id = $1 AND sha256 = $2", connection, transaction);
        recorded.Parameters.AddWithValue(tenantId);
        recorded.Parameters.AddWithValue(hash);
        if (await recorded.ExecuteScalarAsync(cancellation) is not null)
        {
            return false;
        }

        File.Delete(PathOf(tenantId, sha256));
        await transaction.CommitAsync(cancellation);
        return true;
    }

    /// <summary>
    /// Writes the body to <paramref name="file"/> (not yet flushed to disk) and hashes it. The caller's thread only
    /// receives: each megabyte is hashed and written on the thread pool (the two side by side) while the next arrives.
    /// </summary>
    private static async Task<(long Size, byte[] Sha256)> WriteAsync(SafeFileHandle file, Stream body, long maxBytes, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(BufferSize);
        var next = ArrayPool<byte>.Shared.Rent(BufferSize);
        var storing = Task.CompletedTask;
        long size = 0;
        try
        {
            while (true)
            {
                var count = await body.ReadAtLeastAsync(current.AsMemory(0, BufferSize), BufferSize, throwOnEndOfStream: false, cancellation);
                if (size + count > maxBytes)
                {
                    throw new AppMsgException(ErrorCodes.TooLarge, $"media must be at most {maxBytes} bytes");
                }

                await storing;
                if (count == 0)
                {
                    break;
                }

                storing = StoreAsync(hash, file, current, count, size);
                size += count;
                (current, next) = (next, current);
                if (count < BufferSize)
                {
                    await storing;
                    break;
                }
            }

            return (size, hash.GetHashAndReset());
        }
        finally
        {
            // No step may still use a buffer once it is returned.
            try
            {
                await storing;
            }
            catch
            {
            }

            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>
    /// Hashes one buffer and writes it at <paramref name="offset"/>, both on the thread pool and at the same time (each
    /// only reads the buffer); steps run one at a time, in order, so the hash sees the bytes in the file's order.
    /// </summary>
    private static Task StoreAsync(IncrementalHash hash, SafeFileHandle file, byte[] buffer, int count, long offset) => Task.WhenAll(
        Task.Run(() => hash.AppendData(buffer, 0, count), CancellationToken.None),
        Task.Run(() => RandomAccess.Write(file, buffer.AsSpan(0, count), offset), CancellationToken.None));

    private static async Task CopyAsync(SafeFileHandle file, long offset, long length, Stream destination, CancellationToken cancellation)
    {
        var current = ArrayPool<byte>.Shared.Rent(BufferSize);
        var next = ArrayPool<byte>.Shared.Rent(BufferSize);
        var end = offset + length;
        var position = offset;
        var reading = RandomAccess.ReadAsync(file, current.AsMemory(0, (int)Math.Min(BufferSize, length)), position, cancellation).AsTask();
        try
        {
            while (position < end)
            {
                var read = await reading;
                if (read == 0)
                {
                    throw new AppMsgException(ErrorCodes.Unavailable, "the media file is shorter than recorded");
                }

                position += read;
                // The next megabyte is read while this one is written to the caller.
                reading = position < end
                    ? RandomAccess.ReadAsync(file, next.AsMemory(0, (int)Math.Min(BufferSize, end - position)), position, cancellation).AsTask()
                    : Task.FromResult(0);
                await destination.WriteAsync(current.AsMemory(0, read), cancellation);
                (current, next) = (next, current);
            }
        }
        finally
        {
            try
            {
                await reading;
            }
            catch
            {
            }

            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>
    /// Records an upload whose bytes are in <paramref name="temporary"/>, being flushed to disk (<paramref name="flushed"/>),
    /// in one round trip: under the content's lock, a blob row for these bytes unless the tenant has them already, and
    /// the object pointing at the tenant's blob. When the blob is new, the flushed file is renamed into place and its
    /// directory flushed before the commit; otherwise the caller deletes the file. The commit waits for its WAL flush:
    /// once POST answers, file and rows are durable.
    /// </summary>
    private async Task<StoredMedia> RecordAsync(string tenantId, string uploader, string contentType, Task flushed, string temporary, long size, byte[] sha256,
        CancellationToken cancellation)
    {
        try
        {
            var mediaId = Ids.New();
            var newBlobId = Ids.New();
            var hex = Convert.ToHexStringLower(sha256);
            await using var connection = await Database.OpenConnectionAsync(cancellation);
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = on"));
            batch.BatchCommands.Add(LockCommand(tenantId, sha256));
            var blob = new NpgsqlBatchCommand(
                "INSERT INTO media_blobs (blob_id, tenant_id, sha256, size, chunk_size) VALUES ($1, $2, $3, $4, $5) " +
                "ON CONFLICT (tenant_id, sha256) WHERE sha256 IS NOT NULL DO NOTHING");
            blob.Parameters.AddWithValue(newBlobId);
            blob.Parameters.AddWithValue(tenantId);
            blob.Parameters.AddWithValue(sha256);
            blob.Parameters.AddWithValue(size);
            blob.Parameters.AddWithValue(InFiles);
            batch.BatchCommands.Add(blob);
            batch.BatchCommands.Add(MediaObjectRows.InsertForContent(mediaId, tenantId, sha256, uploader, contentType));
            string? blobId = null;
            var chunkSize = InFiles;
            await using (var reader = await batch.ExecuteReaderAsync(cancellation))
            {
                do
                {
                    if (reader.FieldCount == 2 && await reader.ReadAsync(cancellation))
                    {
                        (blobId, chunkSize) = (reader.GetString(0), reader.GetInt32(1));
                    }
                }
                while (await reader.NextResultAsync(cancellation));
            }

            if (blobId is null)
            {
                throw new AppMsgException(ErrorCodes.Unavailable, "the media blob vanished while it was recorded; retry");
            }

            var storedNewBytes = blobId == newBlobId;
            await flushed;
            if (storedNewBytes)
            {
                await PlaceAsync(temporary, PathOf(tenantId, hex));
            }

            await transaction.CommitAsync(cancellation);
            return new StoredMedia(mediaId, tenantId, blobId, uploader, contentType, size, hex, chunkSize, storedNewBytes);
        }
        finally
        {
            // Whatever happened, the file is not used once this returns (the caller closes it).
            try
            {
                await flushed;
            }
            catch
            {
            }
        }
    }

    /// <summary>
    /// Renames the complete, flushed file into place (same bytes as any file already there: a blob pruned a moment ago
    /// whose file the sweep has not reached) and flushes its directory, so that the name survives a crash too.
    /// </summary>
    private Task PlaceAsync(string temporary, string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.CreateDirectory(folder);
            DirectorySync.Flush(root);
        }

        File.Move(temporary, path, overwrite: true);
        return Task.Run(() => DirectorySync.Flush(folder), CancellationToken.None);
    }

    /// <summary>The content's transaction lock: an upload recording it and the sweep deleting its file wait for each other.</summary>
    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, byte[] sha256, CancellationToken cancellation)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { LockCommand(tenantId, sha256) } };
        await batch.ExecuteNonQueryAsync(cancellation);
    }

    private static NpgsqlBatchCommand LockCommand(string tenantId, byte[] sha256)
    {
        var command = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, $2)");
        command.Parameters.AddWithValue(ContentLock);
        command.Parameters.AddWithValue(BinaryPrimitives.ReadInt32BigEndian(sha256) ^ TenantKey(tenantId));
        return command;
    }

    /// <summary>A stable number of a tenant id (string hash codes differ between processes).</summary>
    private static int TenantKey(string tenantId)
    {
        var key = 17;
        foreach (var c in tenantId)
        {
            key = unchecked((key * 31) + c);
        }

        return key;
    }
}
