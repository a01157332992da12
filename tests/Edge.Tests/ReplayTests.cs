using System.Net;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class ReplayTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task An_offline_user_gets_what_it_missed_in_order_and_acknowledged_messages_are_not_replayed_again()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        for (var i = 1; i <= 50; i++)
        {
            await SendAsync(userId, $"m{i}");
        }

        await using (var device = await RegisteredAsync(tenantId, userId))
        {
            for (var i = 1; i <= 50; i++)
            {
                var push = await device.ReceiveAsync();
                Assert.Equal(MessageType.Push, push.Type);
                Assert.NotEqual(0, push.Offline());
                Assert.Equal(i, push.Envelope().GetProperty("seq").GetInt64());
                Assert.Equal($"m{i}", push.Envelope().GetProperty("content").GetProperty("text").GetString());
                await device.AcknowledgeAsync(push);
            }

            await Task.Delay(Quiet); // the edge hands cursors over every second
        }

        await using var again = await RegisteredAsync(tenantId, userId);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => again.ReceiveAsync(Quiet));
    }

    [Fact]
    public async Task Acknowledgements_reach_the_users_cursors_while_the_terminal_stays_connected()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var device = await RegisteredAsync(tenantId, userId);
        await system.WaitUntilLiveAsync(userId);
        for (var i = 1; i <= 3; i++)
        {
            await SendAsync(userId, $"m{i}");
            await device.AcknowledgeAsync(await device.ReceiveAsync());
        }

        // The edge hands moved cursors over in its maintenance pass (batched per tick), not only when the connection ends.
        var cursors = system.Cluster.GetGrain<Messaging.IUserCursorsGrain>(userId);
        await Eventually.ReturnsAsync(() => cursors.GetAsync((int)TerminalType.Android), c => c.GetValueOrDefault($"{userId}@user") == 3,
            TimeSpan.FromSeconds(10), "the inbox cursor at 3");
    }

    [Fact]
    public async Task Unacknowledged_messages_are_replayed_on_the_next_register()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using (var device = await RegisteredAsync(tenantId, userId))
        {
            await SendAsync(userId, "first");
            // Live, or replayed if the REGISTER replay was still reading: either way it is acknowledged.
            var first = await device.ReceiveAsync();
            Assert.Equal(1, first.Envelope().GetProperty("seq").GetInt64());
            await device.AcknowledgeAsync(first);
            await SendAsync(userId, "second");
            Assert.Equal("second", (await device.ReceiveAsync()).Envelope().GetProperty("content").GetProperty("text").GetString());
            await Task.Delay(Quiet); // not acknowledged
        }

        await using var again = await RegisteredAsync(tenantId, userId);
        var replayed = await again.ReceiveAsync();
        Assert.Equal(2, replayed.Envelope().GetProperty("seq").GetInt64());
        Assert.NotEqual(0, replayed.Offline());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => again.ReceiveAsync(Quiet));
    }

    [Fact]
    public async Task An_unacknowledged_live_message_is_sent_once_more_after_5_seconds()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var device = await RegisteredAsync(tenantId, userId);
        await SendAsync(userId, "say again");

        var first = await device.ReceiveAsync();
        var second = await device.ReceiveAsync(TimeSpan.FromSeconds(9));

        Assert.Equal(first.Envelope().GetProperty("id").GetString(), second.Envelope().GetProperty("id").GetString());
        Assert.NotEqual(first.Tid, second.Tid);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.ReceiveAsync(TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public async Task Sync_with_cursors_replays_after_them_and_answers_complete()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        for (var i = 1; i <= 5; i++)
        {
            await SendAsync(userId, $"s{i}");
        }

        await using var device = await RegisteredAsync(tenantId, userId);
        for (var i = 1; i <= 5; i++)
        {
            await device.AcknowledgeAsync(await device.ReceiveAsync());
        }

        await device.SendFrameAsync(MessageType.Sync, 40, Encoding.UTF8.GetBytes("{\"cursors\":{\"" + userId + "@user\":3}}"));

        Assert.Equal(4, (await device.ReceiveAsync()).Envelope().GetProperty("seq").GetInt64());
        Assert.Equal(5, (await device.ReceiveAsync()).Envelope().GetProperty("seq").GetInt64());
        var syncresp = await device.ReceiveAsync();
        Assert.Equal(MessageType.SyncResp, syncresp.Type);
        Assert.Equal(40u, syncresp.Tid);
        Assert.Equal(0, syncresp.Code);
        Assert.Contains("\"complete\":true", syncresp.JsonAfterCode, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Im_from_a_device_is_stored_answered_after_commit_and_arrives_as_im_at_the_receiver()
    {
        var (tenantId, sender) = await system.NewUserAsync();
        var receiver = (await system.Api.PostAsync("/v1/users", new { tenantId, username = "rcv" + Guid.NewGuid().ToString("N")[..6], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        await using var from = await RegisteredAsync(tenantId, sender);
        await using var to = await RegisteredAsync(tenantId, receiver);

        await from.SendFrameAsync(MessageType.Im, 71, Encoding.UTF8.GetBytes("{\"to\":\"" + receiver + "@user\",\"type\":\"text\",\"content\":{\"text\":\"hi there\"},\"clientMsgId\":\"c-1\"}"));

        var imresp = await from.ReceiveAsync();
        Assert.Equal(MessageType.ImResp, imresp.Type);
        Assert.Equal(71u, imresp.Tid);
        Assert.Equal(0, imresp.Code);
        Assert.Contains($"\"timeline\":\"{receiver}@user\"", imresp.JsonAfterCode, StringComparison.Ordinal);
        var im = await to.ReceiveAsync();
        Assert.Equal(MessageType.Im, im.Type);
        Assert.Equal($"{sender}@user", im.Envelope().GetProperty("from").GetString());
        Assert.Equal("hi there", im.Envelope().GetProperty("content").GetProperty("text").GetString());

        await from.SendFrameAsync(MessageType.Im, 72, Encoding.UTF8.GetBytes("{\"to\":\"" + receiver + "@user\",\"type\":\"text\",\"content\":{\"wrong\":1}}"));
        Assert.Equal((byte)ImResultCode.BadRequest, (await from.ReceiveAsync()).Code);
        var (_, stranger) = await system.NewUserAsync();
        await from.SendFrameAsync(MessageType.Im, 73, Encoding.UTF8.GetBytes("{\"to\":\"" + stranger + "@user\",\"type\":\"text\",\"content\":{\"text\":\"x\"}}"));
        Assert.Equal((byte)ImResultCode.NotAllowed, (await from.ReceiveAsync()).Code);
    }

    [Fact]
    public async Task Replay_respects_the_terminal_mask_of_each_message()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "ios only" }, terminalTypes = 2 }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        await SendAsync(userId, "for all");

        await using var android = await RegisteredAsync(tenantId, userId);

        var replayed = await android.ReceiveAsync();
        Assert.Equal("for all", replayed.Envelope().GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(2, replayed.Envelope().GetProperty("seq").GetInt64());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => android.ReceiveAsync(Quiet));
    }

    private Task SendAsync(string userId, string text) =>
        system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text } }, system.AdminKey)
            .ContinueWith(t => t.Result.Expect(HttpStatusCode.OK), TaskScheduler.Default);

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        return device;
    }
}
