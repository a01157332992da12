using System.Net;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

public sealed class GroupMessageTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task A_message_to_a_qun_reaches_its_online_members_and_nobody_else()
    {
        var (tenantId, owner, members, outsider) = await QunSetupAsync(2);
        var qunId = await CreateQunAsync(tenantId, owner, members);
        await using var ownerDevice = await RegisteredAsync(tenantId, owner);
        var memberDevices = await Task.WhenAll(members.Select(m => RegisteredAsync(tenantId, m)));
        await using var outsiderDevice = await RegisteredAsync(tenantId, outsider);

        var sent = (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{qunId}@qun" }, type = "text", content = new { text = "to the qun" } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);

        Assert.Equal($"{qunId}@qun", sent.Body.GetProperty("results")[0].GetProperty("timeline").GetString());
        foreach (var device in memberDevices.Append(ownerDevice))
        {
            var push = await device.ReceiveAsync();
            Assert.Equal(MessageType.Push, push.Type);
            Assert.Equal($"{qunId}@qun", push.Envelope().GetProperty("timeline").GetString());
            await device.AcknowledgeAsync(push);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outsiderDevice.ReceiveAsync(Quiet));
        foreach (var device in memberDevices)
        {
            await device.DisposeAsync();
        }
    }

    [Fact]
    public async Task Im_to_a_qun_reaches_the_other_members_and_the_senders_other_terminals_but_not_the_sending_one()
    {
        var (tenantId, owner, members, outsider) = await QunSetupAsync(1);
        var qunId = await CreateQunAsync(tenantId, owner, members);
        await using var sending = await RegisteredAsync(tenantId, owner, TerminalType.Android);
        await using var ownerPc = await RegisteredAsync(tenantId, owner, TerminalType.Pc);
        await using var member = await RegisteredAsync(tenantId, members[0]);
        await using var stranger = await RegisteredAsync(tenantId, outsider);

        await sending.SendFrameAsync(MessageType.Im, 5, Encoding.UTF8.GetBytes("{\"to\":\"" + qunId + "@qun\",\"type\":\"text\",\"content\":{\"text\":\"hello qun\"}}"));

        var imresp = await sending.ReceiveAsync();
        Assert.Equal(MessageType.ImResp, imresp.Type);
        Assert.Equal(0, imresp.Code);
        Assert.Equal(MessageType.Im, (await member.ReceiveAsync()).Type);
        Assert.Equal("hello qun", (await ownerPc.ReceiveAsync()).Envelope().GetProperty("content").GetProperty("text").GetString());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.ReceiveAsync(Quiet));

        await stranger.SendFrameAsync(MessageType.Im, 6, Encoding.UTF8.GetBytes("{\"to\":\"" + qunId + "@qun\",\"type\":\"text\",\"content\":{\"text\":\"let me in\"}}"));
        Assert.Equal((byte)ImResultCode.NotAllowed, (await stranger.ReceiveAsync()).Code);
        var strangerToken = await system.LoginAsync(tenantId, outsider, 8);
        var http = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{qunId}@qun" }, type = "text", content = new { text = "x" } }, strangerToken);
        Assert.Equal(HttpStatusCode.NotFound, http.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/timelines/{qunId}@qun/messages", strangerToken)).Status);
    }

    [Fact]
    public async Task A_burst_of_concurrent_sends_to_a_qun_arrives_live_complete_and_in_seq_order()
    {
        const int Messages = 300;
        var (tenantId, owner, members, _) = await QunSetupAsync(3);
        var qunId = await CreateQunAsync(tenantId, owner, members);
        var devices = await Task.WhenAll(members.Select(m => RegisteredAsync(tenantId, m)));
        var receiving = devices.Select(ReceiveSeqsAsync).ToList();

        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref sent) <= Messages)
            {
                await SendToQunAsync(qunId, "burst");
            }
        }));

        foreach (var seqs in await Task.WhenAll(receiving))
        {
            Assert.Equal(Enumerable.Range(1, Messages).Select(i => (long)i), seqs);
        }

        foreach (var device in devices)
        {
            await device.DisposeAsync();
        }

        async Task<List<long>> ReceiveSeqsAsync(RawDevice device)
        {
            var seqs = new List<long>();
            while (seqs.Count < Messages)
            {
                var push = await device.ReceiveAsync(TimeSpan.FromSeconds(20));
                Assert.Equal(0, push.Offline());
                seqs.Add(push.Envelope().GetProperty("seq").GetInt64());
                await device.AcknowledgeAsync(push);
            }

            return seqs;
        }
    }

    [Fact]
    public async Task Joining_a_qun_while_connected_starts_live_delivery_and_leaving_stops_it()
    {
        var (tenantId, owner, members, joiner) = await QunSetupAsync(1);
        var qunId = await CreateQunAsync(tenantId, owner, members);
        await using var device = await RegisteredAsync(tenantId, joiner);

        (await system.Api.PutAsync($"/v1/quns/{qunId}/members/{joiner}", null, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var received = await Eventually.ReturnsAsync(async () =>
        {
            await SendToQunAsync(qunId, "after join");
            return await device.ReceiveAsync(TimeSpan.FromSeconds(1));
        }, _ => true, TimeSpan.FromSeconds(15), "a qun message after joining");
        Assert.Equal($"{qunId}@qun", received.Envelope().GetProperty("timeline").GetString());
        await device.AcknowledgeAsync(received);

        (await system.Api.DeleteAsync($"/v1/quns/{qunId}/members/{joiner}", system.AdminKey)).Expect(HttpStatusCode.NoContent);
        await Task.Delay(Quiet);
        while (true)
        {
            // Drain what was sent while the join was settling.
            try
            {
                await device.AcknowledgeAsync(await device.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await SendToQunAsync(qunId, "after leave");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.ReceiveAsync(Quiet));
    }

    [Fact]
    public async Task A_member_removed_from_a_qun_can_no_longer_write_to_it_from_a_connected_device()
    {
        var (tenantId, owner, members, _) = await QunSetupAsync(1);
        var qunId = await CreateQunAsync(tenantId, owner, members);
        await using var device = await RegisteredAsync(tenantId, members[0]);
        var tid = 10u;

        Assert.Equal((byte)ImResultCode.Ok, await ImToQunAsync(device, qunId, tid++));
        (await system.Api.DeleteAsync($"/v1/quns/{qunId}/members/{members[0]}", system.AdminKey)).Expect(HttpStatusCode.NoContent);

        // The edge learns the removal from the membership event, within moments; from then on every IM is refused.
        await Eventually.ReturnsAsync(() => ImToQunAsync(device, qunId, tid++), code => code == (byte)ImResultCode.NotAllowed, TimeSpan.FromSeconds(5), "a refusal");
        Assert.Equal((byte)ImResultCode.NotAllowed, await ImToQunAsync(device, qunId, tid++));
    }

    private static async Task<byte> ImToQunAsync(RawDevice device, string qunId, uint tid)
    {
        await device.SendFrameAsync(MessageType.Im, tid, Encoding.UTF8.GetBytes("{\"to\":\"" + qunId + "@qun\",\"type\":\"text\",\"content\":{\"text\":\"still here?\"}}"));
        while (true)
        {
            var frame = await device.ReceiveAsync();
            if (frame.Type == MessageType.ImResp && frame.Tid == tid)
            {
                return frame.Code;
            }
        }
    }

    private async Task SendToQunAsync(string qunId, string text) =>
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{qunId}@qun" }, type = "text", content = new { text } }, system.AdminKey))
            .Expect(HttpStatusCode.OK);

    private async Task<(string TenantId, string Owner, string[] Members, string Outsider)> QunSetupAsync(int memberCount)
    {
        var (tenantId, owner) = await system.NewUserAsync();
        var others = new List<string>();
        for (var i = 0; i <= memberCount; i++)
        {
            others.Add((await system.Api.PostAsync("/v1/users", new { tenantId, username = "g" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
                .Expect(HttpStatusCode.Created)["id"]);
        }

        return (tenantId, owner, [.. others.Take(memberCount)], others[^1]);
    }

    private async Task<string> CreateQunAsync(string tenantId, string owner, string[] members) =>
        (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "team", ownerId = owner, members }, system.AdminKey)).Expect(HttpStatusCode.Created)["id"];

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId, TerminalType terminalType = TerminalType.Android)
    {
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal(0, (await device.RegisterAsync(userId, await system.LoginAsync(tenantId, userId, (int)terminalType), terminalType)).Code);
        await system.WaitUntilLiveAsync(userId);
        return device;
    }
}
