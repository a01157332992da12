using Microsoft.Extensions.Logging;
using Npgsql;

namespace AppMsg.Edge.Media;

/// <summary>
/// Deletes the file store's files that no blob records any more (the silo's <c>MediaPruner</c> deleted the blob, or an
/// upload failed between renaming and committing), and uploads' temporary files older than an hour (their edge died).
/// One edge at a time sweeps (a session advisory lock); each deletion also holds the content's lock
/// (<see cref="FileMediaStore.DeleteIfUnrecordedAsync"/>), so an upload of the same bytes at that moment is safe.
/// </summary>
public sealed partial class FileMediaSweeper(FileMediaStore store, MediaSettings settings, ILogger<FileMediaSweeper> logger) : BackgroundService
{
    private const long LockKey = 0x61707066_696c6573; // "appfiles"

    /// <summary>Files one query checks.</summary>
    private const int BatchSize = 100;

    /// <summary>How old an upload's temporary file must be before it counts as abandoned (an upload must finish within it).</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromHours(1);

    /// <summary>One pass: the files deleted (0 when another edge is sweeping).</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellation = default)
    {
        await using var connection = await store.Database.OpenConnectionAsync(cancellation);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
        {
            take.Parameters.AddWithValue(LockKey);
            if (await take.ExecuteScalarAsync(cancellation) is not true)
            {
                return 0;
            }
        }

        try
        {
            var deleted = 0;
            var abandoned = DateTime.UtcNow - PendingLifetime;
            foreach (var file in System.IO.Directory.EnumerateFiles(store.TemporaryDirectory))
            {
                if (File.GetLastWriteTimeUtc(file) < abandoned)
                {
                    File.Delete(file);
                    deleted++;
                }
            }

            foreach (var tenantDirectory in System.IO.Directory.EnumerateDirectories(store.Root))
            {
                var tenantId = Path.GetFileName(tenantDirectory);
                if (!Ids.IsValid(tenantId))
                {
                    continue;
                }

                foreach (var batch in System.IO.Directory.EnumerateFiles(tenantDirectory, "*", SearchOption.AllDirectories)
                             .Select(Path.GetFileName).OfType<string>().Where(IsContentName).Chunk(BatchSize))
                {
                    foreach (var sha256 in await UnrecordedAsync(connection, tenantId, batch, cancellation))
                    {
                        deleted += await store.DeleteIfUnrecordedAsync(tenantId, sha256, cancellation) ? 1 : 0;
                    }
                }
            }

            return deleted;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.AddWithValue(LockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await SweepOnceAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogSwept(logger, deleted);
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException or TimeoutException)
            {
                LogSweepFailed(logger, e.Message);
            }
        }
    }

    private static bool IsContentName(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    /// <summary>The names among <paramref name="sha256s"/> that no blob of the tenant records.</summary>
    private static async Task<IEnumerable<string>> UnrecordedAsync(NpgsqlConnection connection, string tenantId, string[] sha256s, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand("SELECT sha256 FROM media_blobs WHERE tenant_id = $1 AND sha256 = ANY($2)", connection);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(sha256s.Select(Convert.FromHexString).ToArray());
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            recorded.Add(Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(0)));
        }

        return sha256s.Where(s => !recorded.Contains(s));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} media files no blob records")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping the media directory failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
