using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace AppMsg.Edge.Tests.Media;

/// <summary>POST and GET /v1/media against a real edge, silo and PostgreSQL, over real sockets.</summary>
public abstract class MediaUploadTests<TSystem>(TSystem system, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TSystem>
    where TSystem : MediaTestSystem
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1];

    [Fact]
    public async Task A_50_MB_upload_streams_through_a_flat_edge_and_comes_back_whole_and_by_ranges_with_the_same_SHA_256()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        long retainedAtHalf = 0;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var body = new GeneratedBytes(50_000_000, seed: 50) { AtHalf = () => retainedAtHalf = GC.GetTotalMemory(forceFullCollection: true) };

        using var response = await system.UploadAsync(body, "video/mp4", token);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var uploaded = JsonDocument.Parse(text).RootElement;
        var expectedSha = body.Sha256();
        Assert.Equal(expectedSha, uploaded.GetProperty("sha256").GetString());
        Assert.Equal(50_000_000, uploaded.GetProperty("size").GetInt64());
        Assert.Equal("video/mp4", uploaded.GetProperty("contentType").GetString());
        // Half the body has passed through the edge (in this process) when this is measured: buffered whole, it would show.
        var growth = retainedAtHalf - baseline;
        Assert.True(growth < 16_000_000, $"the process retained {growth / 1_000_000.0:0.0} MB more half way through a 50 MB upload");

        output.WriteLine($"retained growth half way through the upload: {growth / 1_000_000.0:0.0} MB");
        var id = uploaded.GetProperty("id").GetString()!;
        long retainedWhileDownloading = 0;
        using (var whole = await system.DownloadAsync(id, token))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(50_000_000, whole.Content.Headers.ContentLength);
            Assert.Equal($"\"{expectedSha}\"", whole.Headers.ETag?.Tag);
            Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
            await using var stream = await whole.Content.ReadAsStreamAsync();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                read += n;
                if (retainedWhileDownloading == 0 && read >= 25_000_000)
                {
                    retainedWhileDownloading = GC.GetTotalMemory(forceFullCollection: true);
                }
            }

            Assert.Equal(expectedSha, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }

        output.WriteLine($"retained growth half way through the download: {(retainedWhileDownloading - baseline) / 1_000_000.0:0.0} MB");
        Assert.True(retainedWhileDownloading - baseline < 16_000_000,
            $"the process retained {(retainedWhileDownloading - baseline) / 1_000_000.0:0.0} MB more half way through a 50 MB download");

        // Ranges: the first bytes, across a chunk boundary (256 KiB), the last bytes, an open end.
        foreach (var (from, to) in new (long From, long? To)[] { (0, 99), (262_000, 262_999), (49_999_000, 49_999_999), (30_000_000, null) })
        {
            using var part = await system.DownloadAsync(id, token, new RangeHeaderValue(from, to));
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            var last = to ?? 49_999_999;
            Assert.Equal($"bytes {from}-{last}/50000000", part.Content.Headers.ContentRange?.ToString());
            var bytes = await part.Content.ReadAsByteArrayAsync();
            Assert.Equal(last - from + 1, bytes.Length);
            Assert.True(body.Range(from, bytes.Length).AsSpan().SequenceEqual(bytes), $"bytes {from}-{last} differ");
        }

        using (var suffix = await system.DownloadAsync(id, token, new RangeHeaderValue(null, 1_000)))
        {
            Assert.Equal(HttpStatusCode.PartialContent, suffix.StatusCode);
            Assert.Equal(body.Range(49_999_000, 1_000), await suffix.Content.ReadAsByteArrayAsync());
        }

        using var past = await system.DownloadAsync(id, token, new RangeHeaderValue(50_000_000, null));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.Equal("range_not_satisfiable", await MediaTestSystem.CodeOfAsync(past));
        Assert.Equal("bytes */50000000", past.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_refused_with_413_and_nothing_is_stored()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);

        // Declared too large: refused before a byte is read.
        using (var declared = await system.UploadAsync(new GeneratedBytes(MediaTestSystem.MaxBytes + 1, seed: 1), "application/octet-stream", token))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
            Assert.Equal("too_large", await MediaTestSystem.CodeOfAsync(declared));
        }

        // Undeclared (chunked) and too large: refused once the count passes the limit, and what was written goes.
        using (var streamed = await system.UploadAsync(new GeneratedBytes(MediaTestSystem.MaxBytes + 5_000_000, seed: 2) { DeclareLength = false }, "application/octet-stream", token))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
            Assert.Equal("too_large", await MediaTestSystem.CodeOfAsync(streamed));
        }

        Assert.Equal(0, await system.MediaRowsAsync(tenantId));
    }

    [Theory]
    [InlineData("image/png", "just some text, not a picture")]
    [InlineData("image/jpeg", "PNG")]
    [InlineData("image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    public async Task A_declared_image_that_is_not_one_of_that_type_is_refused_as_validation_failed(string contentType, string body)
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var bytes = body == "PNG" ? Png : System.Text.Encoding.UTF8.GetBytes(body);

        using var response = await system.UploadAsync(new ByteArrayContent(bytes), contentType, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", await MediaTestSystem.CodeOfAsync(response));
        Assert.Equal(0, await system.MediaRowsAsync(tenantId));
        var real = await system.UploadedAsync(Png, "image/png", token);
        Assert.Equal("image/png", real.GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task An_upload_the_client_abandons_half_way_leaves_no_rows()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);

        await Assert.ThrowsAnyAsync<Exception>(() => system.UploadAsync(new GeneratedBytes(20_000_000, seed: 3) { AbortAfter = 6_000_000 }, "application/octet-stream", token));

        await AppMsg.Testing.Eventually.ReturnsAsync(() => system.MediaRowsAsync(tenantId), rows => rows == 0, TimeSpan.FromSeconds(10), "the abandoned upload's rows removed");
    }

    [Fact]
    public async Task Identical_bytes_of_a_tenant_are_stored_once_but_each_upload_has_its_own_id()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var (otherTenant, otherUser) = await system.NewUserAsync();
        var otherToken = await system.LoginAsync(otherTenant, otherUser);
        var bytes = new GeneratedBytes(1_000_000, seed: 4).Range(0, 1_000_000);

        var first = await system.UploadedAsync(bytes, "application/pdf", token);
        var second = await system.UploadedAsync(bytes, "application/pdf", token);
        var elsewhere = await system.UploadedAsync(bytes, "application/pdf", otherToken);

        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        var sha = first.GetProperty("sha256").GetString()!;
        Assert.Equal(sha, second.GetProperty("sha256").GetString());
        Assert.Equal(1, await system.CountAsync("SELECT count(*) FROM media_blobs WHERE tenant_id = $1", tenantId));
        Assert.Equal(1, await system.StoredCopiesAsync(tenantId));
        Assert.Equal(2, await system.CountAsync("SELECT count(*) FROM media_objects WHERE tenant_id = $1", tenantId));
        // Another tenant's copy is its own.
        Assert.Equal(1, await system.CountAsync("SELECT count(*) FROM media_blobs WHERE tenant_id = $1", otherTenant));
        using var download = await system.DownloadAsync(second.GetProperty("id").GetString()!, token);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        _ = elsewhere;
    }

    [Fact]
    public async Task A_signed_URL_needs_no_credential_until_it_expires_and_an_altered_or_expired_one_is_403()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var uploaded = await system.UploadedAsync(Png, "image/png", token);
        var url = uploaded.GetProperty("url").GetString()!;
        var id = uploaded.GetProperty("id").GetString()!;
        Assert.StartsWith($"http://127.0.0.1:{system.EdgeSettings.HttpPort}/v1/media/{id}?exp=", url);

        using (var signed = await system.DownloadAsync(url, credential: null))
        {
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            Assert.Equal(Png, await signed.Content.ReadAsByteArrayAsync());
        }

        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        var sig = query["sig"]!;
        var exp = long.Parse(query["exp"]!, System.Globalization.CultureInfo.InvariantCulture);
        var altered = sig[..^1] + (sig[^1] == 'A' ? 'B' : 'A');
        var signer = new AppMsg.Edge.Media.MediaUrlSigner(system.EdgeSettings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-30)));
        foreach (var path in new[]
        {
            $"/v1/media/{id}?exp={exp}&sig={altered}",
            $"/v1/media/{id}?exp={exp + 3600}&sig={sig}",
            $"/v1/media/{id}?exp={exp}",
            signer.PathFor(id), // signed with the right key, expired weeks ago
        })
        {
            using var refused = await system.DownloadAsync(path, credential: null);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path}: {refused.StatusCode}");
            Assert.Equal("forbidden", await MediaTestSystem.CodeOfAsync(refused));
        }

        // A signature is for one media id only.
        var other = (await system.UploadedAsync([.. Png, 1], "image/png", token)).GetProperty("id").GetString()!;
        using var swapped = await system.DownloadAsync($"/v1/media/{other}?exp={exp}&sig={sig}", credential: null);
        Assert.Equal(HttpStatusCode.Forbidden, swapped.StatusCode);
    }

    [Fact]
    public async Task A_signed_URL_of_a_disabled_tenant_is_403_tenant_disabled_until_it_is_enabled()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var uploaded = await system.UploadedAsync(Png, "image/png", token);
        var url = uploaded.GetProperty("url").GetString()!;
        var id = uploaded.GetProperty("id").GetString()!;

        (await system.Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = true }, system.AdminKey)).Expect(HttpStatusCode.OK);
        using (var refused = await system.DownloadAsync(url, credential: null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("tenant_disabled", await MediaTestSystem.CodeOfAsync(refused));
        }

        // The operator still reads it; enabled again, the same URL serves it.
        using (var byOperator = await system.DownloadAsync(id, system.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);
        }

        (await system.Api.PatchAsync($"/v1/tenants/{tenantId}", new { disabled = false }, system.AdminKey)).Expect(HttpStatusCode.OK);
        using var served = await system.DownloadAsync(url, credential: null);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Media_of_another_tenant_is_404_and_within_the_tenant_the_uploader_apps_and_the_operator_read_it()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var app = await system.NewAppCredentialAsync(tenantId);
        var (otherTenant, stranger) = await system.NewUserAsync();
        var strangerToken = await system.LoginAsync(otherTenant, stranger);
        var otherApp = await system.NewAppCredentialAsync(otherTenant);
        var id = (await system.UploadedAsync(Png, "image/png", token)).GetProperty("id").GetString()!;

        foreach (var reader in new[] { token, app, system.AdminKey })
        {
            using var allowed = await system.DownloadAsync(id, reader);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        foreach (var outsider in new[] { strangerToken, otherApp })
        {
            using var refused = await system.DownloadAsync(id, outsider);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("not_found", await MediaTestSystem.CodeOfAsync(refused));
        }

        using var anonymous = await system.DownloadAsync(id, credential: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var unknown = await system.DownloadAsync(AppMsg.Ids.New(), token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // The operator names the tenant it uploads for; an app uploads for its own.
        using (var operatorUpload = await system.UploadAsync(new ByteArrayContent([1, 2, 3]), "application/octet-stream", system.AdminKey, $"?tenantId={tenantId}"))
        {
            Assert.Equal(HttpStatusCode.Created, operatorUpload.StatusCode);
        }

        using (var withoutTenant = await system.UploadAsync(new ByteArrayContent([1, 2, 3]), "application/octet-stream", system.AdminKey))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withoutTenant.StatusCode);
        }

        var byApp = await system.UploadedAsync([4, 5, 6], "application/octet-stream", app);
        using var appsMedia = await system.DownloadAsync(byApp.GetProperty("id").GetString()!, token);
        Assert.Equal(HttpStatusCode.NotFound, appsMedia.StatusCode); // a user reads it through a message (MediaMessageTests)
    }
}

/// <summary>The upload and download tests with media bytes in PostgreSQL.</summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class PostgresMediaUploadTests(MediaTestSystem system, Xunit.Abstractions.ITestOutputHelper output) : MediaUploadTests<MediaTestSystem>(system, output);

/// <summary>The upload and download tests with media bytes in the file store (<c>APPMSG_MEDIA_DIR</c>).</summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class FileMediaUploadTests(FileMediaTestSystem system, Xunit.Abstractions.ITestOutputHelper output) : MediaUploadTests<FileMediaTestSystem>(system, output);
