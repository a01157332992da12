using System.Net;
using AppMsg.Client;
using AppMsg.Protocol;

namespace AppMsg.Backends.Tests;

[Collection(BackendCollection.Name)]
public sealed class EndToEndTests(BackendSystem system)
{
    [Fact]
    public async Task A_devices_IM_to_an_app_reaches_a_backend_process_and_the_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, _) = await system.NewAppAsync(tenantId, receiver.Url);
        await using var probe = await ProbeProcess.StartAsync(system, appId, "e2e", "--mode", "broadcast");
        await using var device = await system.ClientAsync(tenantId, userId, DeviceTransportKind.Tcp, TerminalType.Android);

        var sent = await device.SendImAsync($$"""{"to":"{{appId}}@app","type":"text","content":{"text":"hello backend"},"clientMsgId":"c1"}""");
        Assert.Equal(ImResultCode.Ok, sent.Code);
        Assert.Equal(AppUpstream.TimelineOf(appId), sent.Timeline);
        var token = await system.LoginAsync(tenantId, userId, 16);
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{appId}@app" }, type = "text", content = new { text = "over http" } }, token)).Expect(HttpStatusCode.OK);

        var seqs = await probe.WaitForSeqsAsync(s => s.Count >= 2, "both messages at the backend process");
        Assert.Equal([1, 2], seqs);
        var first = probe.Lines().First(l => l.GetProperty("event").GetString() == "message");
        Assert.Equal("hello backend", first.GetProperty("message").GetProperty("content").GetProperty("text").GetString());

        var posted = await receiver.WaitForAsync(r => r.Count >= 2, "both messages at the webhook");
        Assert.Equal([1, 2], posted.Select(p => p.Json.GetProperty("seq").GetInt64()));
        Assert.Equal("over http", posted[1].Json.GetProperty("message").GetProperty("content").GetProperty("text").GetString());
    }
}
