using System.Net;
using System.Text;
using System.Text.Json;
using AppMsg.Grains.Timelines;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>Idempotency by clientMsgId, muting, and expiry.</summary>
public sealed class SendRulesTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task The_same_clientMsgId_is_answered_with_the_first_result_and_stored_once()
    {
        var (tenantId, sender) = await system.NewUserAsync();
        var receiver = await NewUserAsync(tenantId);
        await using var sending = await RegisteredAsync(tenantId, sender);
        await using var receiving = await RegisteredAsync(tenantId, receiver);

        var first = await ImAsync(sending, 7, $"{receiver}@user", "once", "c-1");
        var retry = await ImAsync(sending, 8, $"{receiver}@user", "once", "c-1");
        var other = await ImAsync(sending, 9, $"{receiver}@user", "twice", "c-2");

        Assert.Equal(0, first.Code);
        Assert.Equal(first.JsonAfterCode, retry.JsonAfterCode);
        Assert.Equal(Seq(first) + 1, Seq(other));
        var delivered = await receiving.ReceiveAsync();
        Assert.Equal("once", delivered.Envelope().GetProperty("content").GetProperty("text").GetString());
        await receiving.AcknowledgeAsync(delivered);
        Assert.Equal("twice", (await receiving.ReceiveAsync()).Envelope().GetProperty("content").GetProperty("text").GetString());

        var body = new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "api" }, clientMsgId = "api-1" };
        var a = (await system.Api.PostAsync("/v1/messages", body, system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("results")[0];
        var b = (await system.Api.PostAsync("/v1/messages", body, system.AdminKey)).Expect(HttpStatusCode.OK).Body.GetProperty("results")[0];
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(a.GetProperty("seq").GetInt64(), b.GetProperty("seq").GetInt64());
        var history = (await system.Api.GetAsync($"/v1/timelines/{receiver}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(3, history.Body.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task A_muted_user_cannot_message_the_user_who_muted_it_until_unmuted()
    {
        var (tenantId, quiet) = await system.NewUserAsync();
        var noisy = await NewUserAsync(tenantId);
        var quietToken = await system.LoginAsync(tenantId, quiet);
        await using var noisyDevice = await RegisteredAsync(tenantId, noisy);

        (await system.Api.PutAsync($"/v1/users/{quiet}/mutes/{noisy}@user", null, quietToken)).Expect(HttpStatusCode.NoContent);
        var muted = (await system.Api.GetAsync($"/v1/users/{quiet}/mutes", quietToken)).Expect(HttpStatusCode.OK);
        Assert.Equal($"{noisy}@user", muted.Body.GetProperty("muted")[0].GetString());
        Assert.Equal((byte)ImResultCode.NotAllowed, (await ImAsync(noisyDevice, 3, $"{quiet}@user", "hello?", null)).Code);
        var noisyToken = await system.LoginAsync(tenantId, noisy, 8);
        var refused = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{quiet}@user" }, type = "text", content = new { text = "hello?" } }, noisyToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("validation_failed", (await system.Api.PutAsync($"/v1/users/{quiet}/mutes/{tenantId}@tenant", null, quietToken)).Code);

        (await system.Api.DeleteAsync($"/v1/users/{quiet}/mutes/{noisy}@user", quietToken)).Expect(HttpStatusCode.NoContent);
        Assert.Equal(0, (await ImAsync(noisyDevice, 4, $"{quiet}@user", "hello", null)).Code);
    }

    [Fact]
    public async Task The_tenants_direct_message_policy_decides_who_may_message_whom()
    {
        var (tenantId, sender) = await system.NewUserAsync(new { directMessages = "contacts" });
        var receiver = await NewUserAsync(tenantId);
        await using var device = await RegisteredAsync(tenantId, sender);

        Assert.Equal((byte)ImResultCode.NotAllowed, (await ImAsync(device, 3, $"{receiver}@user", "hi, stranger", null)).Code);
        var receiverToken = await system.LoginAsync(tenantId, receiver);
        (await system.Api.PutAsync($"/v1/users/{receiver}/contacts/{sender}", new { remark = "friend" }, receiverToken)).Expect(HttpStatusCode.Created);
        Assert.Equal(0, (await ImAsync(device, 4, $"{receiver}@user", "hi, friend", null)).Code);

        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/settings", new { directMessages = "none" }, system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal((byte)ImResultCode.NotAllowed, (await ImAsync(device, 5, $"{receiver}@user", "hi again", null)).Code);
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "apps still may" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Expired_messages_are_not_delivered_and_pruning_keeps_numbering_gap_free()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "soon gone" }, ttlSeconds = 1 }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "also gone" }, ttlSeconds = 1 }, system.AdminKey))
            .Expect(HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await using (var device = await RegisteredAsync(tenantId, userId))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.ReceiveAsync(Quiet));
        }

        var history = (await system.Api.GetAsync($"/v1/timelines/{userId}@user/messages", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, history.Body.GetProperty("messages").GetArrayLength());

        Assert.True(await system.SiloServices<TimelinePruner>().PruneOnceAsync() >= 1);
        var next = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{userId}@user" }, type = "text", content = new { text = "kept" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK).Body.GetProperty("results")[0];
        Assert.Equal(3, next.GetProperty("seq").GetInt64());
    }

    private static long Seq(ReceivedFrame imresp) => JsonDocument.Parse(imresp.JsonAfterCode).RootElement.GetProperty("seq").GetInt64();

    private static async Task<ReceivedFrame> ImAsync(RawDevice device, uint tid, string to, string text, string? clientMsgId)
    {
        var json = JsonSerializer.Serialize(new { to, type = "text", content = new { text }, clientMsgId });
        await device.SendFrameAsync(MessageType.Im, tid, Encoding.UTF8.GetBytes(json));
        while (true)
        {
            var frame = await device.ReceiveAsync();
            if (frame.Type == MessageType.ImResp && frame.Tid == tid)
            {
                return frame;
            }
        }
    }

    private async Task<string> NewUserAsync(string tenantId) =>
        (await system.Api.PostAsync("/v1/users", new { tenantId, username = "s" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId))).Code);
        await system.WaitUntilLiveAsync(userId);
        return device;
    }
}
