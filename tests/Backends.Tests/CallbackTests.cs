using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AppMsg.Client;
using AppMsg.Protocol;
using AppMsg.Sessions;
using AppMsg.Testing;

namespace AppMsg.Backends.Tests;

[Collection(BackendCollection.Name)]
public sealed class CallbackTests(BackendSystem system)
{
    [Fact]
    public async Task A_callback_round_trips_the_terminals_answer()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (_, credential) = await system.NewAppAsync(tenantId);
        await using var device = await system.DeviceAsync(tenantId, userId);

        var call = system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user", payload = new { question = "open the door?" }, timeoutMs = 20_000 }, credential);
        var frame = await device.ReceiveAsync();
        Assert.Equal(MessageType.Callback, frame.Type);
        using var body = JsonDocument.Parse(frame.Body);
        Assert.Equal("open the door?", body.RootElement.GetProperty("payload").GetProperty("question").GetString());
        var callbackId = body.RootElement.GetProperty("id").GetString();
        await device.SendFrameAsync(MessageType.CbResp, frame.Tid, (byte[])[0, .. "opened"u8]);

        var answer = (await call).Expect(HttpStatusCode.OK);
        Assert.Equal(0, answer.Body.GetProperty("code").GetInt32());
        Assert.Equal("opened", answer["answerText"]);
        Assert.Equal(Convert.ToBase64String("opened"u8.ToArray()), answer["answer"]);
        Assert.Equal(callbackId, answer["callbackId"]);
        var session = Assert.Single(await system.Cluster.GetGrain<IUserSessionsGrain>(userId).GetSessionsAsync());
        Assert.Equal(session.SessionId, answer["sessionId"]);
    }

    [Fact]
    public async Task A_web_terminal_answers_a_callback_sent_with_the_grain_method()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        await using var client = await system.ClientAsync(tenantId, userId, DeviceTransportKind.WebSocketJson);
        var sessionId = client.Registration!.SessionId!;

        var call = system.Cluster.CallAsync(new CallbackRequest($"{sessionId}@session", """{"op":"ping"}""", TimeoutMs: 20_000));
        var callback = await NextAsync<CallbackEvent>(client);
        Assert.Contains("\"op\":\"ping\"", Encoding.UTF8.GetString(callback.Payload.Span), StringComparison.Ordinal);
        await client.AnswerCallbackAsync(callback.Tid, 3, "pong"u8.ToArray());

        var result = await call;
        Assert.Equal(CallbackOutcome.Answered, result.Outcome);
        Assert.Equal(3, result.Code);
        Assert.Equal("pong", Encoding.UTF8.GetString(result.Answer!));
        Assert.Equal(sessionId, result.SessionId);
    }

    [Fact]
    public async Task A_callback_to_a_silent_terminal_times_out_cleanly_and_a_late_or_unknown_answer_is_ignored()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (_, credential) = await system.NewAppAsync(tenantId);
        await using var device = await system.DeviceAsync(tenantId, userId);

        var clock = Stopwatch.StartNew();
        var call = system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user", payload = "are you there?", timeoutMs = 1_500 }, credential);
        var frame = await device.ReceiveAsync();
        Assert.Equal(MessageType.Callback, frame.Type);

        var problem = (await call).Expect(HttpStatusCode.GatewayTimeout);
        Assert.Equal("timeout", problem.Code);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(6));

        // Too late, and a TID no CALLBACK went out on: both ignored, and the connection carries on.
        await device.SendFrameAsync(MessageType.CbResp, frame.Tid, (byte[])[0, .. "late"u8]);
        await device.SendFrameAsync(MessageType.CbResp, frame.Tid + 1000, (byte[])[0]);
        Assert.Equal(0, (await device.PingAsync()).Code);
    }

    [Fact]
    public async Task A_callback_to_an_offline_user_answers_offline_or_waits_stored_for_the_next_register()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await system.NewAppAsync(tenantId);

        var offline = (await system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user", payload = 1 }, credential)).Expect(HttpStatusCode.Conflict);
        Assert.Equal("offline", offline.Code);

        var stored = (await system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user", payload = new { sync = "contacts" }, storeIfOffline = true }, credential))
            .Expect(HttpStatusCode.Accepted);
        Assert.True(stored.Body.GetProperty("stored").GetBoolean());
        Assert.Single(await system.Cluster.GetGrain<IPendingCallbacksGrain>(userId).ListAsync());

        await using var device = await system.DeviceAsync(tenantId, userId);
        var frame = await NextFrameAsync(device, MessageType.Callback);
        using var body = JsonDocument.Parse(frame.Body);
        Assert.Equal(stored["callbackId"], body.RootElement.GetProperty("id").GetString());
        Assert.Equal("contacts", body.RootElement.GetProperty("payload").GetProperty("sync").GetString());
        await device.SendFrameAsync(MessageType.CbResp, frame.Tid, (byte[])[0, .. "synced"u8]);

        // The answer reaches the app through its upstream timeline, as a custom message from the user.
        var page = await Eventually.ReturnsAsync(() => system.Cluster.GetGrain<Messaging.ITimelineGrain>(AppUpstream.TimelineOf(appId)).ReadAsync(0, 10),
            p => p.Envelopes.Count == 1, TimeSpan.FromSeconds(10), "the answer in the app's upstream");
        using var envelope = JsonDocument.Parse(page.Envelopes[0]);
        Assert.Equal("custom", envelope.RootElement.GetProperty("type").GetString());
        Assert.Equal($"{userId}@user", envelope.RootElement.GetProperty("from").GetString());
        Assert.Equal("synced", envelope.RootElement.GetProperty("content").GetProperty("callback").GetProperty("answerText").GetString());
        await Eventually.ReturnsAsync(() => system.Cluster.GetGrain<IPendingCallbacksGrain>(userId).ListAsync(), l => l.Count == 0, TimeSpan.FromSeconds(10), "no longer stored");
    }

    [Fact]
    public async Task Callbacks_are_for_operators_and_apps_of_the_targets_tenant_with_valid_requests()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (otherTenant, _) = await system.NewUserAsync();
        var (_, otherCredential) = await system.NewAppAsync(otherTenant);
        var (_, credential) = await system.NewAppAsync(tenantId);

        Assert.Equal("forbidden", (await system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user", payload = 1 }, await system.LoginAsync(tenantId, userId)))
            .Expect(HttpStatusCode.Forbidden).Code);
        Assert.Equal("not_found", (await system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user", payload = 1 }, otherCredential)).Expect(HttpStatusCode.NotFound).Code);
        Assert.Equal("validation_failed", (await system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@qun", payload = 1 }, credential)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("validation_failed", (await system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user" }, credential)).Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("validation_failed", (await system.Api.PostAsync("/v1/callbacks", new { to = $"{userId}@user", payload = 1, timeoutMs = 60_001 }, credential))
            .Expect(HttpStatusCode.BadRequest).Code);
        Assert.Equal("offline", (await system.Api.PostAsync("/v1/callbacks", new { to = $"{Ids.New()}@session", payload = 1 }, system.AdminKey)).Expect(HttpStatusCode.Conflict).Code);
    }

    private static async Task<ReceivedFrame> NextFrameAsync(RawDevice device, MessageType type)
    {
        while (true)
        {
            var frame = await device.ReceiveAsync();
            if (frame.Type == type)
            {
                return frame;
            }
        }
    }

    private static async Task<T> NextAsync<T>(DeviceClient client) where T : DeviceEvent
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var e in client.Events.ReadAllAsync(timeout.Token))
        {
            if (e is T wanted)
            {
                return wanted;
            }
        }

        throw new TimeoutException($"no {typeof(T).Name}");
    }
}
