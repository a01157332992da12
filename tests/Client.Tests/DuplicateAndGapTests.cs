using System.Diagnostics;
using System.Text;
using AppMsg.Client.Tests.Fake;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

/// <summary>The client drops messages it has seen by (timeline, seq), still acknowledging them, and fills gaps with one SYNC.</summary>
public sealed class DuplicateAndGapTests : IAsyncLifetime
{
    private static readonly TimeSpan GapDelay = TimeSpan.FromMilliseconds(300);
    private readonly FakeEdge edge = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await edge.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_message_delivered_twice_reaches_the_application_once_and_is_acknowledged_both_times(bool autoAcknowledge)
    {
        await using var client = Client(o => o with { AutoAcknowledge = autoAcknowledge });
        var device = await ConnectAsync(client);

        await device.SendAsync((w, e) =>
        {
            FrameWriter.WritePush(w, e, 1, offline: 0, flag: 0, Envelope("42@user", 1));
            FrameWriter.WritePush(w, e, 2, offline: 1, flag: 0, Envelope("42@user", 1));
            FrameWriter.WriteImDown(w, e, 3, 0, Envelope("42@user", 1));
            FrameWriter.WritePush(w, e, 4, offline: 0, flag: 0, Envelope("42@user", 2));
        });

        Assert.Equal(1u, (await client.NextAsync<PushEvent>()).Tid);
        Assert.Equal(4u, (await client.NextAsync<PushEvent>()).Tid);
        Assert.True(await client.IsQuietForAsync(TimeSpan.FromMilliseconds(500)), "the duplicates never reach the application");

        // The duplicates are acknowledged by the client itself; the new ones by the application when it acknowledges by hand.
        var expected = autoAcknowledge ? new[] { 1u, 2u, 3u, 4u } : [2u, 3u];
        var acknowledged = new List<(MessageType, uint)>();
        while (acknowledged.Count < expected.Length && await device.TryReadAsync(TimeSpan.FromSeconds(2)) is { } frame)
        {
            acknowledged.Add((frame.Type, frame.Tid));
        }

        Assert.Equal(expected.Select(t => (t == 3 ? MessageType.ImResp : MessageType.PushResp, t)), acknowledged);
    }

    [Fact]
    public async Task A_gap_triggers_exactly_one_SYNC_with_the_known_cursors_after_a_short_delay()
    {
        await using var client = Client();
        var device = await ConnectAsync(client);

        var sent = Stopwatch.StartNew();
        await device.SendAsync((w, e) =>
        {
            FrameWriter.WritePush(w, e, 1, 0, 0, Envelope("42@user", 5));
            FrameWriter.WritePush(w, e, 2, 0, 0, Envelope("7@qun", 3));
            FrameWriter.WritePush(w, e, 3, 0, 0, Envelope("42@user", 7)); // 6 is missing
            FrameWriter.WritePush(w, e, 4, 0, 0, Envelope("42@user", 8));
        });

        var sync = await NextOtherThanAcknowledgementAsync(device, TimeSpan.FromSeconds(3));
        Assert.NotNull(sync);
        Assert.Equal(MessageType.Sync, sync.Type);
        Assert.True(sent.Elapsed >= GapDelay - TimeSpan.FromMilliseconds(50), $"the SYNC waited for messages on their way ({sent.Elapsed})");
        Assert.True(SyncRequest.TryParse(sync.Body, out var request, out var error), error.ToString());
        Assert.Equal(new Dictionary<string, long> { ["42@user"] = 5, ["7@qun"] = 3 }, request.Cursors);

        // The replay brings 6, and 7 again; the answer ends it.
        await device.SendAsync((w, e) =>
        {
            FrameWriter.WritePush(w, e, 5, offline: 1, flag: 0, Envelope("42@user", 6));
            FrameWriter.WritePush(w, e, 6, offline: 1, flag: 0, Envelope("42@user", 7));
            FrameWriter.WriteSyncResponse(w, e, sync.Tid, SyncResultCode.Ok, "{\"complete\":true}"u8);
        });

        var seqs = new List<(string, long)>();
        for (var i = 0; i < 5; i++)
        {
            seqs.Add(Position(await client.NextAsync<PushEvent>()));
        }

        Assert.Equal([("42@user", 5), ("7@qun", 3), ("42@user", 7), ("42@user", 8), ("42@user", 6)], seqs);
        Assert.True(await client.IsQuietForAsync(TimeSpan.FromMilliseconds(300)), "the repeated 7 and the client's own SYNCRESP are not events");

        // The next message follows on from 8: no second SYNC.
        await device.SendAsync((w, e) => FrameWriter.WritePush(w, e, 7, 0, 0, Envelope("42@user", 9)));
        Assert.Equal(("42@user", 9), Position(await client.NextAsync<PushEvent>()));
        Assert.Null(await NextOtherThanAcknowledgementAsync(device, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_gap_filled_within_the_delay_and_a_gap_the_SYNC_cannot_fill_send_no_more_SYNCs()
    {
        await using var client = Client();
        var device = await ConnectAsync(client);

        // 2 arrives late, within the delay: no SYNC.
        await device.SendAsync((w, e) =>
        {
            FrameWriter.WritePush(w, e, 1, 0, 0, Envelope("9@qun", 1));
            FrameWriter.WritePush(w, e, 2, 0, 0, Envelope("9@qun", 3));
            FrameWriter.WritePush(w, e, 3, 0, 0, Envelope("9@qun", 2));
        });
        Assert.Null(await NextOtherThanAcknowledgementAsync(device, GapDelay * 3));

        // 4 never comes (not for this terminal): one SYNC, answered with nothing, and later messages do not ask again.
        await device.SendAsync((w, e) => FrameWriter.WritePush(w, e, 4, 0, 0, Envelope("9@qun", 5)));
        var sync = await NextOtherThanAcknowledgementAsync(device, TimeSpan.FromSeconds(3));
        Assert.Equal(MessageType.Sync, sync?.Type);
        await device.SendAsync((w, e) => FrameWriter.WriteSyncResponse(w, e, sync!.Tid, SyncResultCode.Ok, "{\"complete\":true}"u8));
        await device.SendAsync((w, e) => FrameWriter.WritePush(w, e, 5, 0, 0, Envelope("9@qun", 6)));
        Assert.Null(await NextOtherThanAcknowledgementAsync(device, GapDelay * 3));
        var pushes = await ReadPushesAsync(client, 5);
        Assert.Equal([1L, 3, 2, 5, 6], pushes.Select(p => Position(p).Seq));
    }

    private static async Task<List<PushEvent>> ReadPushesAsync(DeviceClient client, int count)
    {
        var pushes = new List<PushEvent>();
        while (pushes.Count < count)
        {
            pushes.Add(await client.NextAsync<PushEvent>());
        }

        return pushes;
    }

    /// <summary>The next frame from the client that is not a PUSHRESP / IMRESP, or null if none comes within <paramref name="wait"/>.</summary>
    private static async Task<ReceivedFrame?> NextOtherThanAcknowledgementAsync(FakeDevice device, TimeSpan wait)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < wait && await device.TryReadAsync(wait - deadline.Elapsed) is { } frame)
        {
            if (frame.Type is not (MessageType.PushResp or MessageType.ImResp))
            {
                return frame;
            }
        }

        return null;
    }

    private static byte[] Envelope(string timeline, long seq) =>
        Encoding.UTF8.GetBytes($$$"""{"id":"m{{{seq}}}","timeline":"{{{timeline}}}","seq":{{{seq}}},"from":"1@user","to":"42@user","type":"text","content":{"text":"x"}}""");

    private static (string Timeline, long Seq) Position(PushEvent push)
    {
        using var json = System.Text.Json.JsonDocument.Parse(push.Envelope);
        return (json.RootElement.GetProperty("timeline").GetString()!, json.RootElement.GetProperty("seq").GetInt64());
    }

    private DeviceClient Client(Func<DeviceClientOptions, DeviceClientOptions>? configure = null)
    {
        var options = new DeviceClientOptions
        {
            Endpoint = edge.Endpoint,
            UserId = "42",
            Token = "0123456789abcdef0123456789abcdef",
            HeartbeatInterval = Timeout.InfiniteTimeSpan,
            Reconnect = false,
            GapSyncDelay = GapDelay,
        };
        return new DeviceClient(configure?.Invoke(options) ?? options);
    }

    private async Task<FakeDevice> ConnectAsync(DeviceClient client)
    {
        var connect = client.ConnectAsync();
        var device = await edge.AcceptAsync();
        await device.AcceptRegisterAsync();
        await connect.WaitAsync(EventReading.Patience);
        return device;
    }
}
