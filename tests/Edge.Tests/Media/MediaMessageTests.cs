using System.Net;
using System.Text.Json;
using AppMsg.Grains.Media;

namespace AppMsg.Edge.Tests.Media;

/// <summary>Messages that reference media: the tenant rule, who may then read the media, and pruning.</summary>
public abstract class MediaMessageTests<TSystem>(TSystem system) : IClassFixture<TSystem>
    where TSystem : MediaTestSystem
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1];

    [Fact]
    public async Task The_receiver_of_an_image_message_may_fetch_its_media_and_a_user_it_was_not_sent_to_may_not()
    {
        var (tenantId, sender) = await system.NewUserAsync();
        var senderToken = await system.LoginAsync(tenantId, sender);
        var receiver = await NewUserInAsync(tenantId);
        var receiverToken = await system.LoginAsync(tenantId, receiver);
        var bystander = await NewUserInAsync(tenantId);
        var bystanderToken = await system.LoginAsync(tenantId, bystander);
        var mediaId = (await system.UploadedAsync(Jpeg, "image/jpeg", senderToken)).GetProperty("id").GetString()!;
        using (var before = await system.DownloadAsync(mediaId, receiverToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        (await system.Api.PostAsync("/v1/messages", new
        {
            to = new[] { $"{receiver}@user" },
            type = "image",
            content = new { mediaId, width = 640, height = 480 },
        }, senderToken)).Expect(HttpStatusCode.OK);

        using (var after = await system.DownloadAsync(mediaId, receiverToken))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal(Jpeg, await after.Content.ReadAsByteArrayAsync());
        }

        using var bystanders = await system.DownloadAsync(mediaId, bystanderToken);
        Assert.Equal(HttpStatusCode.NotFound, bystanders.StatusCode);
        var history = (await system.Api.GetAsync($"/v1/timelines/{receiver}@user/messages", receiverToken)).Expect(HttpStatusCode.OK);
        Assert.Equal(mediaId, history.Body.GetProperty("messages")[0].GetProperty("content").GetProperty("mediaId").GetString());
    }

    [Theory]
    [InlineData("image", "{\"width\":1,\"height\":1}")]
    [InlineData("voice", "{\"durationMs\":1500}")]
    [InlineData("video", "{\"durationMs\":1500,\"width\":1280}")]
    [InlineData("file", "{\"name\":\"report.pdf\",\"size\":3}")]
    public async Task Each_media_type_takes_a_media_id_of_the_tenant_and_refuses_one_it_does_not_have(string type, string fields)
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var receiver = await NewUserInAsync(tenantId);
        var (otherTenant, otherUser) = await system.NewUserAsync();
        var othersMedia = (await system.UploadedAsync([1, 2, 3], "application/octet-stream", await system.LoginAsync(otherTenant, otherUser))).GetProperty("id").GetString()!;
        var mediaId = (await system.UploadedAsync([1, 2, 3], "application/octet-stream", token)).GetProperty("id").GetString()!;

        var sent = await SendAsync(token, receiver, type, fields, mediaId);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        // The receiver's inbox and the sender's own copy (conversations) both reference it: kept while either lives.
        Assert.Equal(2, await system.CountAsync("SELECT count(*) FROM msg_messages WHERE media_id = $1", mediaId));

        foreach (var wrong in new[] { othersMedia, AppMsg.Ids.New() })
        {
            var refused = await SendAsync(token, receiver, type, fields, wrong);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Equal("validation_failed", refused.Code);
            Assert.Contains("content.mediaId", refused.Text, StringComparison.Ordinal);
        }

        Assert.Equal(0, await system.CountAsync("SELECT count(*) FROM msg_messages WHERE media_id = $1", othersMedia));
    }

    [Fact]
    public async Task Media_is_pruned_after_its_grace_when_unreferenced_and_after_its_last_message_expires_when_referenced()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        var receiver = await NewUserInAsync(tenantId);
        var unreferenced = (await system.UploadedAsync([7, 7, 7], "application/octet-stream", token)).GetProperty("id").GetString()!;
        var referenced = (await system.UploadedAsync([8, 8, 8], "application/octet-stream", token)).GetProperty("id").GetString()!;
        var shortLived = await system.Api.PostAsync("/v1/messages", new
        {
            to = new[] { $"{receiver}@user" },
            type = "file",
            content = new { mediaId = referenced, name = "eights.bin", size = 3 },
            ttlSeconds = 2,
        }, token);
        shortLived.Expect(HttpStatusCode.OK);
        var pruner = system.SiloServices<MediaPruner>();

        // Fresh uploads are kept through the grace, referenced or not.
        await pruner.PruneOnceAsync();
        Assert.Equal(2, await system.CountAsync("SELECT count(*) FROM media_objects WHERE tenant_id = $1", tenantId));

        await system.CountAsync("UPDATE media_objects SET touched_at = now() - interval '25 hours' WHERE tenant_id = $1 RETURNING 0", tenantId);
        await pruner.PruneOnceAsync();
        Assert.Equal(0, await system.CountAsync("SELECT count(*) FROM media_objects WHERE media_id = $1", unreferenced));
        Assert.Equal(1, await system.CountAsync("SELECT count(*) FROM media_objects WHERE media_id = $1", referenced));
        Assert.Equal(1, await system.CountAsync("SELECT count(*) FROM media_blobs WHERE tenant_id = $1", tenantId));
        await system.SweepEdgeAsync();
        Assert.Equal(1, await system.StoredCopiesAsync(tenantId));

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await pruner.PruneOnceAsync();
        await system.SweepEdgeAsync();
        Assert.Equal(0, await system.MediaRowsAsync(tenantId));
        using var gone = await system.DownloadAsync(referenced, system.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Stored_media_bytes_count_against_the_tenant_quota_once_per_content_and_are_released_when_pruned()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var token = await system.LoginAsync(tenantId, userId);
        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/quotas", new { mediaBytes = 5_000_000 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var twoMegabytes = new GeneratedBytes(2_000_000, seed: 20).Range(0, 2_000_000);

        await system.UploadedAsync(twoMegabytes, "application/octet-stream", token);
        Assert.Equal(2_000_000, await UsedAsync());
        // The same bytes again are stored once, so charged once (an upload still needs room for its size while it streams).
        await system.UploadedAsync(twoMegabytes, "application/octet-stream", token);
        Assert.Equal(2_000_000, await UsedAsync());
        var rows = await system.MediaRowsAsync(tenantId);

        // Declared over what is left: refused before a byte is stored; undeclared: refused while it streams.
        foreach (var body in new[] { new GeneratedBytes(3_500_000, seed: 21), new GeneratedBytes(3_500_000, seed: 22) { DeclareLength = false } })
        {
            using var refused = await system.UploadAsync(body, "application/octet-stream", token);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("over_quota", await MediaTestSystem.CodeOfAsync(refused));
        }

        await AppMsg.Testing.Eventually.ReturnsAsync(() => system.MediaRowsAsync(tenantId), n => n == rows, TimeSpan.FromSeconds(10), "nothing of the refused uploads kept");
        Assert.Equal(2_000_000, await UsedAsync());
        await system.UploadedAsync(new GeneratedBytes(3_000_000, seed: 23).Range(0, 3_000_000), "application/octet-stream", token);
        Assert.Equal(5_000_000, await UsedAsync());

        // Pruned (nothing references them once their grace has passed): the bytes count no more.
        await system.CountAsync("UPDATE media_objects SET touched_at = now() - interval '25 hours' WHERE tenant_id = $1 RETURNING 0", tenantId);
        await system.SiloServices<MediaPruner>().PruneOnceAsync();
        await system.SweepEdgeAsync();
        Assert.Equal(0, await system.MediaRowsAsync(tenantId));
        Assert.Equal(0, await UsedAsync());
        await system.UploadedAsync(twoMegabytes, "application/octet-stream", token);

        async Task<long> UsedAsync() =>
            (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", system.AdminKey)).Expect(HttpStatusCode.OK)
                .Body.GetProperty("usage").GetProperty("mediaBytes").GetInt64();
    }

    private async Task<AppMsg.Testing.ApiClient.Response> SendAsync(string token, string receiver, string type, string fields, string mediaId)
    {
        var content = JsonDocument.Parse(fields).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        content["mediaId"] = mediaId;
        return await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type, content }, token);
    }

    private async Task<string> NewUserInAsync(string tenantId) =>
        (await system.Api.PostAsync("/v1/users", new { tenantId, username = "m" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
}

/// <summary>The media message tests with media bytes in PostgreSQL.</summary>
public sealed class PostgresMediaMessageTests(MediaTestSystem system) : MediaMessageTests<MediaTestSystem>(system);

/// <summary>The media message tests with media bytes in the file store (<c>APPMSG_MEDIA_DIR</c>).</summary>
public sealed class FileMediaMessageTests(FileMediaTestSystem system) : MediaMessageTests<FileMediaTestSystem>(system);
