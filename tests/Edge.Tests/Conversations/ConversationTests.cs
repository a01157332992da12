using System.Net;
using System.Text;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;
using Npgsql;

namespace AppMsg.Edge.Tests.Conversations;

/// <summary>Conversations across a user's devices, unread counts, read marks and receipts, recall and typing (issue 15).</summary>
public sealed class ConversationTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan IndexLag = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_1to1_message_reaches_the_senders_other_device_live_and_on_replay_but_not_the_sending_one()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        await using var phone = await RegisteredAsync(tenantId, alice, TerminalType.Android);
        await using var desktop = await RegisteredAsync(tenantId, alice, TerminalType.Pc);
        await using var bobPhone = await RegisteredAsync(tenantId, bob, TerminalType.Android);

        var receipt = await ImAsync(phone, $"{bob}@user", "text", new { text = "hello from the phone" }, tid: 11);
        Assert.Equal(0, receipt.Code);
        var id = JsonDocument.Parse(receipt.JsonAfterCode).RootElement.GetProperty("id").GetString();

        var copy = await NextMessageAsync(desktop);
        Assert.Equal(MessageType.Im, copy.Type);
        Assert.Equal(id, copy.Envelope().GetProperty("id").GetString());
        Assert.Equal($"{alice}@user", copy.Envelope().GetProperty("timeline").GetString());
        Assert.Equal($"{alice}@user", copy.Envelope().GetProperty("from").GetString());
        Assert.Equal($"{bob}@user", copy.Envelope().GetProperty("to").GetString());
        Assert.Equal(id, (await NextMessageAsync(bobPhone)).Envelope().GetProperty("id").GetString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => phone.ReceiveAsync(Quiet));

        // A device that was offline replays the conversation's own side too.
        await using var tablet = await RegisteredAsync(tenantId, alice, TerminalType.Ios, waitUntilLive: false);
        var replayed = await NextMessageAsync(tablet);
        Assert.Equal(id, replayed.Envelope().GetProperty("id").GetString());
        Assert.Equal("hello from the phone", replayed.Envelope().GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Conversations_are_listed_by_last_activity_with_unread_counts_and_paged()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        var carol = await NewUserInAsync(tenantId);
        var qun = await NewQunAsync(tenantId, alice, [bob, carol]);
        var bobToken = await system.LoginAsync(tenantId, bob);
        var carolToken = await system.LoginAsync(tenantId, carol);
        var aliceToken = await system.LoginAsync(tenantId, alice);

        await SendAsync($"{alice}@user", "b1", bobToken);
        await SendAsync($"{alice}@user", "b2", bobToken);
        await SendAsync($"{alice}@user", "c1", carolToken);
        await SendAsync($"{qun}@qun", "q1", carolToken);
        await SendAsync($"{alice}@user", "b3", bobToken);

        var first = await Eventually.ReturnsAsync(
            () => system.Api.GetAsync($"/v1/users/{alice}/conversations?limit=2", aliceToken),
            r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("conversations").GetArrayLength() == 2
                && r.Body.GetProperty("conversations")[0].GetProperty("address").GetString() == $"{bob}@user"
                && r.Body.GetProperty("conversations")[0].GetProperty("unread").GetInt64() == 3
                && r.Body.GetProperty("conversations")[0].GetProperty("lastMessage").GetProperty("content").GetProperty("text").GetString() == "b3"
                && r.Body.GetProperty("conversations")[1].GetProperty("address").GetString() == $"{qun}@qun",
            IndexLag, "the conversation index");
        var page = first.Body.GetProperty("conversations");
        Assert.Equal($"{bob}@user", page[0].GetProperty("address").GetString());
        Assert.Equal("b3", page[0].GetProperty("lastMessage").GetProperty("content").GetProperty("text").GetString());
        Assert.Equal($"{qun}@qun", page[1].GetProperty("address").GetString());
        Assert.Equal(1, page[1].GetProperty("unread").GetInt64());
        Assert.Equal("q1", page[1].GetProperty("lastMessage").GetProperty("content").GetProperty("text").GetString());

        var next = first["next"];
        var second = (await system.Api.GetAsync($"/v1/users/{alice}/conversations?limit=2&after={Uri.EscapeDataString(next)}", aliceToken)).Expect(HttpStatusCode.OK);
        var rest = second.Body.GetProperty("conversations");
        Assert.Equal(1, rest.GetArrayLength());
        Assert.Equal($"{carol}@user", rest[0].GetProperty("address").GetString());
        Assert.Equal(1, rest[0].GetProperty("unread").GetInt64());
        Assert.Equal(JsonValueKind.Null, second.Body.GetProperty("next").ValueKind);

        Assert.Equal(5, await system.Cluster.GetGrain<AppMsg.Conversations.IUserConversationsGrain>(alice).GetUnreadTotalAsync());

        // Another user may not read them, nor an app of the tenant; a malformed cursor is a 400.
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/users/{alice}/conversations", bobToken)).Status);
        Assert.Equal("validation_failed", (await system.Api.GetAsync($"/v1/users/{alice}/conversations?after=nonsense", aliceToken)).Code);
    }

    [Fact]
    public async Task A_read_mark_drops_the_unread_count_on_the_users_other_devices_is_clamped_and_the_sender_sees_read()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        var bobToken = await system.LoginAsync(tenantId, bob);
        await using var phone = await RegisteredAsync(tenantId, alice, TerminalType.Android);
        await using var desktop = await RegisteredAsync(tenantId, alice, TerminalType.Pc);
        await using var bobPhone = await RegisteredAsync(tenantId, bob, TerminalType.Android);

        await SendAsync($"{alice}@user", "one", bobToken);
        await SendAsync($"{alice}@user", "two", bobToken);
        var last = await SendAsync($"{alice}@user", "three", bobToken);
        long lastTs = 0;
        for (var i = 0; i < 3; i++)
        {
            await NextMessageAsync(phone);
            await NextMessageAsync(desktop);
            // Bob's copies of his own messages (sent over HTTP: every session of his gets them).
            lastTs = (await NextMessageAsync(bobPhone)).Envelope().GetProperty("ts").GetInt64();
        }

        var answer = await ImAsync(phone, $"{bob}@user", "read", new { seq = 1_000 }, tid: 21);
        Assert.Equal(0, answer.Code);
        var mark = JsonDocument.Parse(answer.JsonAfterCode).RootElement;
        Assert.Equal(3, mark.GetProperty("seq").GetInt64()); // clamped to the last seq of alice's inbox
        Assert.Equal(0, mark.GetProperty("unread").GetInt64());

        var onDesktop = await NextEventAsync(desktop, "read");
        Assert.Equal($"{bob}@user", onDesktop.GetProperty("conversation").GetString());
        Assert.Equal(3, onDesktop.GetProperty("seq").GetInt64());
        Assert.Equal(0, onDesktop.GetProperty("unread").GetInt64());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextEventAsync(phone, "read", Quiet));

        var seen = await NextEventAsync(bobPhone, "peerRead");
        Assert.Equal($"{alice}@user", seen.GetProperty("conversation").GetString());
        Assert.Equal(last.Id, seen.GetProperty("messageId").GetString());

        // A mark that covers no message of Bob's not yet reported read tells him nothing; the next one read is reported once.
        var aliceToken = await system.LoginAsync(tenantId, alice);
        (await system.Api.PostAsync($"/v1/users/{alice}/conversations/{bob}@user/read", new { seq = 3 }, aliceToken)).Expect(HttpStatusCode.OK);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextEventAsync(bobPhone, "peerRead", Quiet));
        var fourth = await SendAsync($"{alice}@user", "four", bobToken);
        lastTs = (await NextMessageAsync(bobPhone)).Envelope().GetProperty("ts").GetInt64();
        (await system.Api.PostAsync($"/v1/users/{alice}/conversations/{bob}@user/read", new { seq = 4 }, aliceToken)).Expect(HttpStatusCode.OK);
        Assert.Equal(fourth.Id, (await NextEventAsync(bobPhone, "peerRead")).GetProperty("messageId").GetString());
        (await system.Api.PostAsync($"/v1/users/{alice}/conversations/{bob}@user/read", new { seq = 4 }, aliceToken)).Expect(HttpStatusCode.OK);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextEventAsync(bobPhone, "peerRead", Quiet));

        var bobs = await Eventually.ReturnsAsync(
            () => system.Api.GetAsync($"/v1/users/{bob}/conversations", bobToken),
            r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("conversations").GetArrayLength() == 1
                && r.Body.GetProperty("conversations")[0].GetProperty("peerReadAt").ValueKind == JsonValueKind.Number,
            IndexLag, "bob's conversation with the peer's read mark");
        Assert.InRange(bobs.Body.GetProperty("conversations")[0].GetProperty("peerReadAt").GetInt64(), lastTs, lastTs + 1);
        Assert.Equal(0, await system.Cluster.GetGrain<AppMsg.Conversations.IUserConversationsGrain>(alice).GetUnreadTotalAsync());
    }

    [Fact]
    public async Task The_sender_of_a_qun_message_learns_how_many_members_read_it()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        var carol = await NewUserInAsync(tenantId);
        var qun = await NewQunAsync(tenantId, alice, [bob, carol]);
        var aliceToken = await system.LoginAsync(tenantId, alice);
        var bobToken = await system.LoginAsync(tenantId, bob);

        var sent = await SendAsync($"{qun}@qun", "did you read this?", aliceToken);
        Assert.Equal(0, (await ReadsAsync(sent.Id, aliceToken)).GetProperty("read").GetInt64());

        var mark = (await system.Api.PostAsync($"/v1/users/{bob}/conversations/{qun}@qun/read", new { seq = sent.Seq }, bobToken)).Expect(HttpStatusCode.OK);
        Assert.Equal(sent.Seq, mark.Body.GetProperty("seq").GetInt64());

        var reads = await ReadsAsync(sent.Id, aliceToken);
        Assert.Equal(1, reads.GetProperty("read").GetInt64());
        Assert.Equal(3, reads.GetProperty("members").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/messages/{sent.Id}/reads", bobToken)).Status);
    }

    [Fact]
    public async Task A_member_added_to_a_qun_later_counts_unread_from_the_join_and_is_not_counted_as_a_reader_of_earlier_messages()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        var carol = await NewUserInAsync(tenantId);
        var qun = await NewQunAsync(tenantId, alice, [bob]);
        var bobToken = await system.LoginAsync(tenantId, bob);
        var aliceToken = await system.LoginAsync(tenantId, alice);
        var before = await SendAsync($"{qun}@qun", "before carol", bobToken);
        await SendAsync($"{qun}@qun", "also before carol", bobToken);

        (await system.Api.PutAsync($"/v1/quns/{qun}/members/{carol}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var carolToken = await system.LoginAsync(tenantId, carol);
        var conversations = carolsConversations();
        var joined = await Eventually.ReturnsAsync(conversations, r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("conversations").GetArrayLength() == 1,
            IndexLag, "carol's qun in her list");
        Assert.Equal(0, joined.Body.GetProperty("conversations")[0].GetProperty("unread").GetInt64());
        Assert.Equal(0, await system.Cluster.GetGrain<AppMsg.Conversations.IUserConversationsGrain>(carol).GetUnreadTotalAsync());
        Assert.Equal(0, (await ReadsAsync(before.Id, bobToken)).GetProperty("read").GetInt64());

        var after = await SendAsync($"{qun}@qun", "after carol", aliceToken);
        var unread = await Eventually.ReturnsAsync(conversations,
            r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("conversations")[0].GetProperty("unread").GetInt64() == 1, IndexLag, "carol's one unread");
        Assert.Equal("after carol", unread.Body.GetProperty("conversations")[0].GetProperty("lastMessage").GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(1, await system.Cluster.GetGrain<AppMsg.Conversations.IUserConversationsGrain>(carol).GetUnreadTotalAsync());

        var mark = (await system.Api.PostAsync($"/v1/users/{carol}/conversations/{qun}@qun/read", new { seq = after.Seq }, carolToken)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, mark.Body.GetProperty("unread").GetInt64());
        Assert.Equal(1, (await ReadsAsync(after.Id, aliceToken)).GetProperty("read").GetInt64());

        Func<Task<AppMsg.Testing.ApiClient.Response>> carolsConversations() => () => system.Api.GetAsync($"/v1/users/{carol}/conversations", carolToken);
    }

    [Fact]
    public async Task A_recall_reaches_an_online_and_an_offline_terminal_and_the_content_is_gone_from_the_database()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        var aliceToken = await system.LoginAsync(tenantId, alice);
        await using var bobPhone = await RegisteredAsync(tenantId, bob, TerminalType.Android);

        var sent = await SendAsync($"{bob}@user", "a secret to take back", aliceToken);
        var original = await NextMessageAsync(bobPhone);
        Assert.Equal(sent.Id, original.Envelope().GetProperty("id").GetString());

        (await system.Api.PostAsync($"/v1/messages/{sent.Id}/recall", null, aliceToken)).Expect(HttpStatusCode.NoContent);

        var live = (await NextMessageAsync(bobPhone)).Envelope();
        Assert.Equal("recall", live.GetProperty("type").GetString());
        Assert.Equal(sent.Id, live.GetProperty("content").GetProperty("id").GetString());

        // A terminal that was offline replays the tombstone, then the notice.
        await using var bobDesktop = await RegisteredAsync(tenantId, bob, TerminalType.Pc, waitUntilLive: false);
        var tombstone = (await NextMessageAsync(bobDesktop)).Envelope();
        Assert.Equal(sent.Id, tombstone.GetProperty("id").GetString());
        Assert.Equal("recalled", tombstone.GetProperty("type").GetString());
        Assert.Equal("recall", (await NextMessageAsync(bobDesktop)).Envelope().GetProperty("type").GetString());

        // Both stored copies (bob's inbox and alice's own) hold no trace of the content; history shows the recall.
        await using (var database = new NpgsqlConnection(system.Deployment.ConnectionString))
        {
            await database.OpenAsync();
            await using var rows = new NpgsqlCommand("SELECT envelope, recalled_at IS NOT NULL FROM msg_messages WHERE message_id = $1", database)
            {
                Parameters = { new NpgsqlParameter { Value = sent.Id } },
            };
            await using var reader = await rows.ExecuteReaderAsync();
            var copies = 0;
            while (await reader.ReadAsync())
            {
                copies++;
                Assert.DoesNotContain("a secret", Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0)), StringComparison.Ordinal);
                Assert.True(reader.GetBoolean(1));
            }

            Assert.Equal(2, copies);
        }

        var history = (await system.Api.GetAsync($"/v1/timelines/{bob}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal("recalled", history.Body.GetProperty("messages")[0].GetProperty("type").GetString());

        // Recalling again changes nothing more.
        (await system.Api.PostAsync($"/v1/messages/{sent.Id}/recall", null, aliceToken)).Expect(HttpStatusCode.NoContent);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextMessageAsync(bobPhone, Quiet));
    }

    [Fact]
    public async Task A_recall_after_the_window_or_by_someone_else_is_forbidden()
    {
        var (tenantId, alice) = await system.NewUserAsync(new { recallWindowSeconds = 1 });
        var bob = await NewUserInAsync(tenantId);
        var aliceToken = await system.LoginAsync(tenantId, alice);
        var bobToken = await system.LoginAsync(tenantId, bob);
        var (_, stranger) = await system.NewUserAsync();
        var strangerToken = await system.LoginAsync((await system.Api.GetAsync($"/v1/users/{stranger}", system.AdminKey))["tenantId"], stranger);

        var sent = await SendAsync($"{bob}@user", "too late", aliceToken);
        Assert.Equal("forbidden", (await system.Api.PostAsync($"/v1/messages/{sent.Id}/recall", null, bobToken)).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.PostAsync($"/v1/messages/{sent.Id}/recall", null, strangerToken)).Status);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var late = await system.Api.PostAsync($"/v1/messages/{sent.Id}/recall", null, aliceToken);
        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Equal("forbidden", late.Code);

        // The operator moderates at any time.
        (await system.Api.PostAsync($"/v1/messages/{sent.Id}/recall", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        Assert.Equal("validation_failed", (await system.Api.PutAsync($"/v1/tenants/{tenantId}/settings", new { recallWindowSeconds = -1 }, system.AdminKey)).Code);
    }

    [Fact]
    public async Task Typing_reaches_the_online_peer_is_rate_limited_and_never_replayed()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        await using var phone = await RegisteredAsync(tenantId, alice, TerminalType.Android);
        await using var bobPhone = await RegisteredAsync(tenantId, bob, TerminalType.Android);

        Assert.Equal(0, (await ImAsync(phone, $"{bob}@user", "typing", new { }, tid: 31)).Code);
        var typing = await NextEventAsync(bobPhone, "typing");
        Assert.Equal($"{alice}@user", typing.GetProperty("conversation").GetString());
        Assert.Equal($"{alice}@user", typing.GetProperty("from").GetString());

        Assert.Equal(0, (await ImAsync(phone, $"{bob}@user", "typing", new { }, tid: 32)).Code);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextEventAsync(bobPhone, "typing", Quiet));

        await using var bobDesktop = await RegisteredAsync(tenantId, bob, TerminalType.Pc, waitUntilLive: false);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bobDesktop.ReceiveAsync(Quiet));
    }

    [Fact]
    public async Task In_a_qun_typing_reaches_the_other_online_members_and_a_recall_by_the_operator_reaches_every_member_live()
    {
        var (tenantId, alice) = await system.NewUserAsync();
        var bob = await NewUserInAsync(tenantId);
        var qun = await NewQunAsync(tenantId, alice, [bob]);
        await using var alicePhone = await RegisteredAsync(tenantId, alice, TerminalType.Android);
        await using var bobPhone = await RegisteredAsync(tenantId, bob, TerminalType.Android);

        Assert.Equal(0, (await ImAsync(alicePhone, $"{qun}@qun", "typing", new { }, tid: 41)).Code);
        var typing = await NextEventAsync(bobPhone, "typing");
        Assert.Equal($"{qun}@qun", typing.GetProperty("conversation").GetString());
        Assert.Equal($"{alice}@user", typing.GetProperty("from").GetString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextEventAsync(alicePhone, "typing", Quiet));

        var answer = await ImAsync(alicePhone, $"{qun}@qun", "text", new { text = "oops, wrong group" }, tid: 42);
        var id = JsonDocument.Parse(answer.JsonAfterCode).RootElement.GetProperty("id").GetString();
        Assert.Equal(id, (await NextMessageAsync(bobPhone)).Envelope().GetProperty("id").GetString());

        (await system.Api.PostAsync($"/v1/messages/{id}/recall", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        foreach (var member in new[] { bobPhone, alicePhone })
        {
            var notice = (await NextMessageAsync(member)).Envelope();
            Assert.Equal("recall", notice.GetProperty("type").GetString());
            Assert.Equal(id, notice.GetProperty("content").GetProperty("id").GetString());
            Assert.Equal("operator", notice.GetProperty("content").GetProperty("by").GetString());
        }

        var history = (await system.Api.GetAsync($"/v1/timelines/{qun}@qun/messages", system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("messages");
        Assert.Equal("recalled", history[0].GetProperty("type").GetString());
        Assert.DoesNotContain("wrong group", history.GetRawText(), StringComparison.Ordinal);
    }

    private sealed record Sent(string Id, long Seq);

    private async Task<Sent> SendAsync(string to, string text, string credential)
    {
        var result = (await system.Api.PostAsync("/v1/messages", new { to = new[] { to }, type = "text", content = new { text } }, credential))
            .Expect(HttpStatusCode.OK).Body.GetProperty("results")[0];
        var id = result.GetProperty("id").GetString()!;
        return new Sent(id, result.GetProperty("seq").GetInt64());
    }

    private async Task<JsonElement> ReadsAsync(string messageId, string credential) =>
        (await system.Api.GetAsync($"/v1/messages/{messageId}/reads", credential)).Expect(HttpStatusCode.OK).Body;

    private static async Task<ReceivedFrame> ImAsync(RawDevice device, string to, string type, object content, uint tid)
    {
        await device.SendFrameAsync(MessageType.Im, tid, JsonSerializer.SerializeToUtf8Bytes(new { to, type, content }));
        while (true)
        {
            var frame = await device.ReceiveAsync();
            if (frame.Type == MessageType.ImResp && frame.Tid == tid)
            {
                return frame;
            }

            await AcknowledgeAsync(device, frame);
        }
    }

    /// <summary>The next stored message (PUSH or IM with a timeline), acknowledged; events on the way are acknowledged and skipped.</summary>
    private static async Task<ReceivedFrame> NextMessageAsync(RawDevice device, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var frame = await device.ReceiveAsync(RemainingUntil(until));
            await AcknowledgeAsync(device, frame);
            if (frame.Type is MessageType.Push or MessageType.Im && !frame.Envelope().TryGetProperty("event", out _))
            {
                return frame;
            }
        }
    }

    private static async Task<JsonElement> NextEventAsync(RawDevice device, string name, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var frame = await device.ReceiveAsync(RemainingUntil(until));
            await AcknowledgeAsync(device, frame);
            if (frame.Type == MessageType.Push && frame.Envelope().TryGetProperty("event", out var e) && e.GetString() == name)
            {
                return frame.Envelope();
            }
        }
    }

    private static TimeSpan RemainingUntil(DateTime until)
    {
        var left = until - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : throw new OperationCanceledException("nothing matching arrived in time");
    }

    private static Task AcknowledgeAsync(RawDevice device, ReceivedFrame frame) =>
        frame.Type is MessageType.Push or MessageType.Im ? device.AcknowledgeAsync(frame) : Task.CompletedTask;

    private async Task<string> NewUserInAsync(string tenantId) =>
        (await system.Api.PostAsync("/v1/users", new { tenantId, username = "u" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];

    private async Task<string> NewQunAsync(string tenantId, string owner, string[] members) =>
        (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "team", ownerId = owner, members }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId, TerminalType terminalType, bool waitUntilLive = true)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, (int)terminalType), terminalType)).Code);
        if (waitUntilLive)
        {
            await system.WaitUntilLiveAsync(userId);
        }

        return device;
    }
}
