using System.Net;
using System.Security.Cryptography;
using AppMsg.Edge.Media;

namespace AppMsg.Edge.Tests.Media;

/// <summary>What only the file store has: a directory shared by edges, and the sweep of files no blob records.</summary>
public sealed class FileMediaStoreTests(FileMediaTestSystem system) : IClassFixture<FileMediaTestSystem>
{
    [Fact]
    public async Task Edges_sharing_the_directory_serve_each_others_media_and_store_identical_bytes_once()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var edge2 = system.Deployment.EdgeSettings("edge-media-2") with { Media = system.EdgeSettings.Media };
        await system.StartAnotherEdgeAsync(edge2);
        using var http2 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{edge2.HttpPort}") };
        var bytes = RandomNumberGenerator.GetBytes(3_000_000);

        var uploaded = await system.UploadedAsync(bytes, "application/octet-stream", token);
        var id = uploaded.GetProperty("id").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/media/{id}");
        request.Headers.Authorization = new("Bearer", token);
        using var fromEdge2 = await http2.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, fromEdge2.StatusCode);
        Assert.Equal(bytes, await fromEdge2.Content.ReadAsByteArrayAsync());

        using var again = new HttpRequestMessage(HttpMethod.Post, "/v1/media") { Content = new ByteArrayContent(bytes) };
        again.Content.Headers.ContentType = new("application/octet-stream");
        again.Headers.Authorization = new("Bearer", token);
        using var storedAgain = await http2.SendAsync(again);
        Assert.Equal(HttpStatusCode.Created, storedAgain.StatusCode);
        Assert.Equal(1, await system.StoredCopiesAsync(tenantId));
        Assert.Equal(1, await system.CountAsync("SELECT count(*) FROM media_blobs WHERE tenant_id = $1 AND chunk_size = 0", tenantId));
        Assert.Equal(0, await system.CountAsync("SELECT count(*) FROM media_chunks c JOIN media_blobs b USING (blob_id) WHERE b.tenant_id = $1", tenantId));
    }

    [Fact]
    public async Task The_sweep_deletes_files_no_blob_records_and_abandoned_uploads_and_keeps_recorded_ones()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var store = system.EdgeServices<FileMediaStore>();
        var kept = await system.UploadedAsync([1, 2, 3, 4], "application/octet-stream", token);
        // A file whose blob the silo pruned (or whose upload failed after the rename): no row records it.
        var strayHash = Convert.ToHexStringLower(SHA256.HashData([9, 9, 9]));
        var stray = store.PathOf(tenantId, strayHash);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        await File.WriteAllBytesAsync(stray, [9, 9, 9]);
        // Temporary files: one of an upload that died an hour ago with its edge, one of an upload under way.
        var abandoned = Path.Combine(store.TemporaryDirectory, "abandoned.part");
        var underWay = Path.Combine(store.TemporaryDirectory, "under-way.part");
        await File.WriteAllBytesAsync(abandoned, [1]);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - FileMediaSweeper.PendingLifetime - TimeSpan.FromMinutes(1));
        await File.WriteAllBytesAsync(underWay, [2]);

        await system.SweepEdgeAsync();

        Assert.False(File.Exists(stray));
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(underWay));
        File.Delete(underWay);
        Assert.True(File.Exists(store.PathOf(tenantId, kept.GetProperty("sha256").GetString()!)));
        using var download = await system.DownloadAsync(kept.GetProperty("id").GetString()!, token);
        Assert.Equal([1, 2, 3, 4], await download.Content.ReadAsByteArrayAsync());
    }
}
