using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AppMsg.Bench.Report;
using AppMsg.Bench.Systems;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// Media throughput (docs/media.md): uploads (POST /v1/media) and downloads (GET /v1/media/{id}) of 1 MB and 50 MB
/// objects, one at a time, against writing the same bytes to a local file (flushed to disk, as PostgreSQL's commit
/// is) and reading them back, in the same run. Every upload's bytes differ (no dedupe shortcut). Both stores in one
/// run: the tool's edge keeps media in PostgreSQL, a second edge of the same cluster in files (APPMSG_MEDIA_DIR, in
/// the temp directory, on the same disk as the local file). AppMsg only.
/// </summary>
public sealed class MediaScenario(BenchOptions options, string logDirectory) : Scenario(options with { Systems = ["appmsg"] }, logDirectory)
{
    private static readonly (int Bytes, int Rounds)[] Sizes = [(1_000_000, 20), (50_000_000, 3)];

    protected override string Name => "media";

    protected override ResultTable CreateMainTable(ScenarioReport report)
    {
        report.Parameters["sizes"] = string.Join(", ", Sizes.Select(s => $"{s.Bytes / 1_000_000} MB x {s.Rounds}"));
        report.Notes.Add("MB/s: 10^6 bytes per second, one transfer at a time, over all rounds of a size; the client runs on the same 2 cores as the silo, the edge and PostgreSQL.");
        report.Notes.Add("local write: the same bytes to a file in the temp directory, flushed to disk (fsync) as both stores flush before answering: the baseline the aim names, for uploads and downloads alike.");
        report.Notes.Add("local read: that file read back from the page cache (no disk, no network): a second, harsher baseline for downloads, shown for honesty.");
        report.Notes.Add("ratios: AppMsg over the local file; the aim is at least 0.5 of the local write.");
        return new ResultTable
        {
            Title = "Media: upload and download against a local file",
            Columns =
            [
                new("upload_mb_s", "upload MB/s", "N0"),
                new("local_write_mb_s", "local write MB/s", "N0"),
                new("upload_ratio", "upload/local write", "0.00"),
                new("download_mb_s", "download MB/s", "N0"),
                new("download_write_ratio", "download/local write", "0.00"),
                new("local_read_mb_s", "local read MB/s", "N0"),
                new("download_ratio", "download/local read", "0.00"),
            ],
        };
    }

    protected override async Task RunSystemAsync(IBenchSystem system, ScenarioReport report, CancellationToken cancellationToken)
    {
        var appMsg = (AppMsgSystem)system;
        var file = Path.Combine(Path.GetTempPath(), $"appmsg-bench-media-{Environment.ProcessId}.bin");
        var directory = Path.Combine(Path.GetTempPath(), $"appmsg-bench-media-{Environment.ProcessId}-files");
        try
        {
            using var filesApi = await appMsg.StartAnotherEdgeAsync("bench-edge-files", new Dictionary<string, string?> { ["APPMSG_MEDIA_DIR"] = directory }, cancellationToken);
            foreach (var (store, api) in new[] { ("postgres", appMsg.Api), ("files", filesApi) })
            {
                await RunStoreAsync(system, store, api, appMsg.TenantId, file, cancellationToken);
            }
        }
        finally
        {
            File.Delete(file);
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
    }

    private async Task RunStoreAsync(IBenchSystem system, string store, HttpClient api, string tenantId, string file, CancellationToken cancellationToken)
    {
        foreach (var (bytes, rounds) in Sizes)
        {
            var data = RandomNumberGenerator.GetBytes(bytes);
            var row = Row(system, $"{store}, {bytes / 1_000_000} MB");
            var cpu = Cpu(system);
            TimeSpan upload = default, download = default, write = default, read = default;
            cpu.Start();
            for (var round = 0; round < rounds; round++)
            {
                BitConverter.TryWriteBytes(data, Stopwatch.GetTimestamp());
                var started = Stopwatch.GetTimestamp();
                var id = await UploadAsync(api, tenantId, data, cancellationToken);
                upload += Stopwatch.GetElapsedTime(started);

                started = Stopwatch.GetTimestamp();
                var received = await DownloadAsync(api, id, cancellationToken);
                download += Stopwatch.GetElapsedTime(started);
                if (received != bytes)
                {
                    row.Status = $"DOWNLOADED {received} of {bytes} bytes";
                }

                started = Stopwatch.GetTimestamp();
                await WriteFileAsync(file, data, cancellationToken);
                write += Stopwatch.GetElapsedTime(started);

                started = Stopwatch.GetTimestamp();
                await ReadFileAsync(file, cancellationToken);
                read += Stopwatch.GetElapsedTime(started);
            }

            row.CpuPercent = cpu.Stop();
            double total = (long)bytes * rounds;
            row.Metrics["upload_mb_s"] = total / 1e6 / upload.TotalSeconds;
            row.Metrics["local_write_mb_s"] = total / 1e6 / write.TotalSeconds;
            row.Metrics["upload_ratio"] = write.TotalSeconds / upload.TotalSeconds;
            row.Metrics["download_mb_s"] = total / 1e6 / download.TotalSeconds;
            row.Metrics["download_write_ratio"] = write.TotalSeconds / download.TotalSeconds;
            row.Metrics["local_read_mb_s"] = total / 1e6 / read.TotalSeconds;
            row.Metrics["download_ratio"] = read.TotalSeconds / download.TotalSeconds;
            MainTable.Rows.Add(row);
        }
    }

    private static async Task<string> UploadAsync(HttpClient api, string tenantId, byte[] data, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await api.PostAsync($"/v1/media?tenantId={tenantId}", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /v1/media: {(int)response.StatusCode} {text}");
        }

        using var answer = JsonDocument.Parse(text);
        return answer.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<long> DownloadAsync(HttpClient api, string id, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync($"/v1/media/{id}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
        }

        return total;
    }

    private static async Task WriteFileAsync(string path, byte[] data, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 256 * 1024, useAsync: true);
        for (var offset = 0; offset < data.Length; offset += 256 * 1024)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(256 * 1024, data.Length - offset)), cancellationToken);
        }

        stream.Flush(flushToDisk: true);
    }

    private static async Task ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 256 * 1024, useAsync: true);
        var buffer = new byte[256 * 1024];
        while (await stream.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }
}
