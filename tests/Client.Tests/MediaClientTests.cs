using System.Text;
using System.Text.Json;
using AppMsg.Client.Media;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Client.Tests;

/// <summary>MediaClient and DeviceClient together against the real edge: a photo sent by one device and fetched by another.</summary>
public sealed class MediaClientTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly DeviceAccounts accounts = new(system);

    [Fact]
    public async Task An_image_IM_reaches_the_receiving_device_with_its_media_id_and_the_receiver_downloads_the_photo()
    {
        var (senderId, senderToken) = await accounts.NewUserAsync();
        var (receiverId, receiverToken) = await accounts.NewUserAsync();
        await using var sender = new DeviceClient(accounts.Options(DeviceTransportKind.Tcp, senderId, senderToken));
        await using var receiver = new DeviceClient(accounts.Options(DeviceTransportKind.WebSocketJson, receiverId, receiverToken));
        await sender.ConnectAsync();
        await receiver.ConnectAsync();
        await system.WaitUntilLiveAsync(receiverId);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}") };
        byte[] photo = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Encoding.ASCII.GetBytes("a photo of " + Guid.NewGuid())];

        var uploaded = await new MediaClient(http, senderToken).UploadAsync(new MemoryStream(photo), "image/png");
        var im = await sender.SendImAsync(JsonSerializer.Serialize(new
        {
            to = $"{receiverId}@user",
            type = "image",
            content = new { mediaId = uploaded.Id, width = 800, height = 600 },
            clientMsgId = "photo-1",
        }));

        Assert.True(im.IsSuccess, $"IMRESP {im.Code}");
        var delivered = await receiver.NextAsync<ImEvent>();
        using var envelope = JsonDocument.Parse(delivered.Envelope);
        Assert.Equal("image", envelope.RootElement.GetProperty("type").GetString());
        var content = envelope.RootElement.GetProperty("content");
        Assert.Equal(800, content.GetProperty("width").GetInt32());
        var mediaId = content.GetProperty("mediaId").GetString()!;
        Assert.Equal(uploaded.Id, mediaId);

        var media = new MediaClient(http, receiverToken);
        await using (var download = await media.DownloadAsync(mediaId))
        {
            using var bytes = new MemoryStream();
            await download.Content.CopyToAsync(bytes);
            Assert.Equal(photo, bytes.ToArray());
            Assert.Equal(uploaded.Sha256, download.Sha256);
            Assert.Equal("image/png", download.ContentType);
        }

        await using (var range = await media.DownloadAsync(mediaId, offset: 1, length: 3))
        {
            using var bytes = new MemoryStream();
            await range.Content.CopyToAsync(bytes);
            Assert.Equal("PNG"u8.ToArray(), bytes.ToArray());
        }

        // The signed URL works with no credential at all.
        using var signedCopy = new MemoryStream();
        Assert.Equal(photo.Length, await new MediaClient(http, credential: null).DownloadToAsync(uploaded.Url, signedCopy));
        Assert.Equal(photo, signedCopy.ToArray());
    }

    [Fact]
    public async Task Refusals_surface_as_MediaException_with_the_problem_code()
    {
        var (userId, token) = await accounts.NewUserAsync();
        await using var device = new DeviceClient(accounts.Options(DeviceTransportKind.Tcp, userId, token));
        await device.ConnectAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{system.EdgeSettings.HttpPort}") };
        var media = new MediaClient(http, token);

        var notAnImage = await Assert.ThrowsAsync<MediaException>(() => media.UploadAsync(new MemoryStream("plain text"u8.ToArray()), "image/jpeg"));
        Assert.Equal((400, "validation_failed"), (notAnImage.Status, notAnImage.Code));
        var missing = await Assert.ThrowsAsync<MediaException>(() => media.DownloadAsync(Ids.New()));
        Assert.Equal((404, "not_found"), (missing.Status, missing.Code));

        // An IM may only reference media of the sender's tenant that exists.
        var im = await device.SendImAsync(JsonSerializer.Serialize(new
        {
            to = $"{userId}@user",
            type = "file",
            content = new { mediaId = Ids.New(), name = "ghost.bin", size = 1 },
            clientMsgId = "ghost-1",
        }));
        Assert.False(im.IsSuccess);
        Assert.Equal(ImResultCode.BadRequest, im.Code);
    }
}
