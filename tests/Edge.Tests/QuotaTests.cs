using System.Diagnostics;
using System.Net;
using System.Text;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>
/// Quotas hold across two edges of one cluster: edges take allowances in blocks from the quota's grain, so together
/// they never admit more than the limit, and what one holds unused comes back within seconds.
/// </summary>
public sealed class QuotaTests(QuotaTestSystem system) : IClassFixture<QuotaTestSystem>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Two_edges_together_never_admit_more_than_a_tenants_daily_messages()
    {
        var (tenantId, receiver) = await system.NewUserAsync();
        var (_, app) = await system.NewAppAsync(tenantId);
        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/quotas", new { messagesPerDay = 100 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);

        var first = await SendAlternatelyAsync(150, app, receiver);

        // Never more than the quota; fewer only while an edge still holds part of its last block.
        Assert.InRange(first.Accepted, 90, 100);
        Assert.Equal(150 - first.Accepted, first.Refused);
        var refusal = first.LastRefusal!;
        Assert.Equal("over_quota", refusal.Code);
        Assert.InRange(refusal.RetryAfterSeconds ?? 0, 1, 86_400);

        // What an edge held unused goes back to the grain, and the total reaches the quota exactly.
        var total = first.Accepted;
        await Eventually.ReturnsAsync(async () => total += (await SendAlternatelyAsync(2, app, receiver)).Accepted, t => t >= 100, Within, "the quota used up");
        await Task.Delay(TimeSpan.FromSeconds(3));
        total += (await SendAlternatelyAsync(6, app, receiver)).Accepted;
        Assert.Equal(100, total);

        // A device of the tenant on either edge is refused with IMRESP 4, a user over HTTP with 429.
        var sender = await system.NewUserInAsync(tenantId);
        await using var device = await RegisteredAsync(system.SecondEdgeSettings.TcpPort, tenantId, sender);
        Assert.Equal((byte)ImResultCode.OverQuota, (await ImAsync(device, 3, $"{receiver}@user")).Code);
        var userToken = await system.LoginAsync(tenantId, sender, 8);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(system.Api, userToken, receiver)).Status);

        var status = (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(100, status.Body.GetProperty("limits").GetProperty("messagesPerDay").GetInt64());
        Assert.Equal(100, status.Body.GetProperty("usage").GetProperty("messages").GetInt64());
    }

    [Fact]
    public async Task Concurrent_senders_on_both_edges_never_get_more_than_the_quota_accepted()
    {
        var (tenantId, receiver) = await system.NewUserAsync();
        var (appId, app) = await system.NewAppAsync(tenantId);
        var (_, otherApp) = await system.NewAppAsync(tenantId);
        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/quotas", new { messagesPerDay = 300 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/apps/{appId}/quotas", new { messagesPerDay = 200 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);

        // Eight senders at once, half on each edge, two apps: 500 attempts against a tenant quota of 300 and an app quota of 200.
        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            var api = worker % 2 == 0 ? system.Api : system.SecondApi;
            var credential = worker < 4 ? app : otherApp;
            var accepted = 0;
            for (var i = 0; i < 62; i++)
            {
                accepted += (await SendAsync(api, credential, receiver)).Status == HttpStatusCode.OK ? 1 : 0;
            }

            return (App: worker < 4, Accepted: accepted);
        }));

        var firstApp = counts.Where(c => c.App).Sum(c => c.Accepted);
        var total = counts.Sum(c => c.Accepted);
        Assert.InRange(firstApp, 1, 200);
        Assert.InRange(total, 250, 300);
        Assert.Equal(total, await StoredAsync(receiver));

        // Once the edges have given back what they held, the other app tops the tenant up to exactly its quota.
        await Eventually.ReturnsAsync(async () => total += (await SendAlternatelyAsync(2, otherApp, receiver)).Accepted, t => t >= 300, Within, "the quota used up");
        await Task.Delay(TimeSpan.FromSeconds(3));
        total += (await SendAlternatelyAsync(4, otherApp, receiver)).Accepted;
        Assert.Equal(300, total);
        Assert.Equal(300, await StoredAsync(receiver));
    }

    private async Task<int> StoredAsync(string userId) =>
        (await system.Api.GetAsync($"/v1/timelines/{userId}@user/messages?limit=500", system.AdminKey)).Expect(HttpStatusCode.OK)
            .Body.GetProperty("messages").GetArrayLength();

    [Fact]
    public async Task Raising_a_quota_applies_within_seconds_on_both_edges()
    {
        var (tenantId, receiver) = await system.NewUserAsync();
        var (appId, app) = await system.NewAppAsync(tenantId);
        (await system.Api.PutAsync($"/v1/apps/{appId}/quotas", new { messagesPerDay = 4 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var used = await SendAlternatelyAsync(10, app, receiver);
        Assert.InRange(used.Accepted, 1, 4);

        (await system.Api.PutAsync($"/v1/apps/{appId}/quotas", new { messagesPerDay = 20 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);

        var started = Stopwatch.StartNew();
        await Eventually.ReturnsAsync(() => SendAsync(system.Api, app, receiver), r => r.Status == HttpStatusCode.OK, Within, "a send on the first edge");
        await Eventually.ReturnsAsync(() => SendAsync(system.SecondApi, app, receiver), r => r.Status == HttpStatusCode.OK, Within, "a send on the second edge");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task A_connection_quota_refuses_the_next_register_on_either_edge_until_a_session_ends()
    {
        var (tenantId, first) = await system.NewUserAsync();
        var second = await system.NewUserInAsync(tenantId);
        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/quotas", new { connections = 1 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var firstToken = await system.LoginAsync(tenantId, first);
        var secondToken = await system.LoginAsync(tenantId, second);

        var holder = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal((byte)RegisterResultCode.Ok, (await holder.RegisterAsync(first, firstToken)).Code);
        foreach (var port in new[] { system.SecondEdgeSettings.TcpPort, system.TcpPort })
        {
            await using var refused = await RawDevice.ConnectAsync(port);
            Assert.Equal((byte)RegisterResultCode.OverQuota, (await refused.RegisterAsync(second, secondToken)).Code);
            Assert.True(await refused.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
        }

        var usage = (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", system.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(1, usage.Body.GetProperty("usage").GetProperty("connections").GetInt64());

        await holder.DisposeAsync();
        await Eventually.ReturnsAsync(async () =>
        {
            await using var device = await RawDevice.ConnectAsync(system.SecondEdgeSettings.TcpPort);
            return (await device.RegisterAsync(second, secondToken)).Code;
        }, code => code == (byte)RegisterResultCode.Ok, Within, "a slot freed by the first session's end");
    }

    [Fact]
    public async Task The_rate_limit_admits_the_burst_then_the_sustained_rate_across_edges()
    {
        var (tenantId, receiver) = await system.NewUserAsync();
        var (_, app) = await system.NewAppAsync(tenantId);
        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/quotas", new { messagesPerSecond = 5, messagesBurst = 5 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);

        var started = Stopwatch.StartNew();
        var sent = await SendAlternatelyAsync(40, app, receiver);
        var seconds = started.Elapsed.TotalSeconds;

        Assert.InRange(sent.Accepted, 5, 5 + (int)Math.Ceiling(5 * seconds));
        Assert.True(sent.Refused > 0);
        Assert.Equal("over_quota", sent.LastRefusal!.Code);
        Assert.InRange(sent.LastRefusal.RetryAfterSeconds ?? 0, 1, 2);
    }

    [Fact]
    public async Task Recipients_ttl_and_api_call_limits_answer_over_quota()
    {
        var (tenantId, receiver) = await system.NewUserAsync();
        var others = new[] { await system.NewUserInAsync(tenantId), await system.NewUserInAsync(tenantId) };
        var (appId, app) = await system.NewAppAsync(tenantId);
        (await system.Api.PutAsync($"/v1/apps/{appId}/quotas", new { recipientsPerMessage = 2, maxTtlSeconds = 60, apiCallsPerDay = 8 }, system.AdminKey))
            .Expect(HttpStatusCode.NoContent);
        (await system.Api.PutAsync($"/v1/tenants/{tenantId}/quotas", new { maxTtlSeconds = 3600 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);

        var tooMany = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user", $"{others[0]}@user", $"{others[1]}@user" }, type = "text", content = new { text = "x" } }, app);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.Status);
        Assert.Equal("over_quota", tooMany.Code);
        var tooLong = await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "x" }, ttlSeconds = 120 }, app);
        Assert.Equal("over_quota", tooLong.Code);

        // A message that names no TTL is kept for the lower of the app's and the tenant's maximum.
        (await SendAsync(system.Api, app, receiver)).Expect(HttpStatusCode.OK);
        var history = (await system.Api.GetAsync($"/v1/timelines/{receiver}@user/messages", app)).Expect(HttpStatusCode.OK);
        var stored = history.Body.GetProperty("messages")[0];
        Assert.Equal(60_000, stored.GetProperty("expiresAt").GetInt64() - stored.GetProperty("ts").GetInt64());

        // Four calls so far; four more on either edge, then the ninth is refused until tomorrow.
        for (var i = 0; i < 4; i++)
        {
            (await (i % 2 == 0 ? system.SecondApi : system.Api).GetAsync($"/v1/apps/{appId}", app)).Expect(HttpStatusCode.OK);
        }

        var ninth = await system.SecondApi.GetAsync($"/v1/apps/{appId}", app);
        Assert.Equal(HttpStatusCode.TooManyRequests, ninth.Status);
        Assert.Equal("over_quota", ninth.Code);
        Assert.True(ninth.RetryAfterSeconds >= 1);
    }

    [Fact]
    public async Task Quota_bodies_are_validated_and_shown_only_to_the_operator_and_the_app()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, app) = await system.NewAppAsync(tenantId);
        var (otherTenant, _) = await system.NewUserAsync();
        var (_, stranger) = await system.NewAppAsync(otherTenant);
        var userToken = await system.LoginAsync(tenantId, userId);

        var wrongType = await system.Api.SendRawAsync(HttpMethod.Put, $"/v1/tenants/{tenantId}/quotas", "{\"messagesPerDay\":\"many\"}", system.AdminKey);
        Assert.Equal("validation_failed", wrongType.Code);
        var negative = await system.Api.PutAsync($"/v1/apps/{appId}/quotas", new { connections = -2, messagesPerDay = 5 }, system.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, negative.Status);
        Assert.Equal("validation_failed", negative.Code);
        Assert.True(negative.Body.GetProperty("errors").TryGetProperty("connections", out _));
        Assert.Equal("validation_failed", (await system.Api.SendRawAsync(HttpMethod.Put, $"/v1/apps/{appId}/quotas", "[1]", system.AdminKey)).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.PutAsync("/v1/tenants/nosuchtenant/quotas", new { connections = 1 }, system.AdminKey)).Status);

        (await system.Api.PutAsync($"/v1/apps/{appId}/quotas", new { messagesPerDay = 50, mediaBytes = 1_000_000 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var own = (await system.Api.GetAsync($"/v1/apps/{appId}/quotas", app)).Expect(HttpStatusCode.OK);
        Assert.Equal(50, own.Body.GetProperty("limits").GetProperty("messagesPerDay").GetInt64());
        Assert.Equal(1_000_000, own.Body.GetProperty("limits").GetProperty("mediaBytes").GetInt64());
        Assert.Equal(-1, own.Body.GetProperty("limits").GetProperty("connections").GetInt64());
        Assert.Equal(0, own.Body.GetProperty("usage").GetProperty("messages").GetInt64());
        (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", app)).Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Forbidden, (await system.Api.PutAsync($"/v1/apps/{appId}/quotas", new { messagesPerDay = 1 }, app)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/apps/{appId}/quotas", stranger)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", stranger)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/apps/{appId}/quotas", userToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await system.Api.GetAsync($"/v1/tenants/{tenantId}/quotas", userToken)).Status);
    }

    private sealed record Tally(int Accepted, int Refused, ApiClient.Response? LastRefusal);

    /// <summary>Sends one message at a time, alternately through the two edges.</summary>
    private async Task<Tally> SendAlternatelyAsync(int count, string credential, string receiver)
    {
        int accepted = 0, refused = 0;
        ApiClient.Response? last = null;
        for (var i = 0; i < count; i++)
        {
            var answer = await SendAsync(i % 2 == 0 ? system.Api : system.SecondApi, credential, receiver);
            if (answer.Status == HttpStatusCode.OK)
            {
                accepted++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
                refused++;
                last = answer;
            }
        }

        return new Tally(accepted, refused, last);
    }

    private static Task<ApiClient.Response> SendAsync(ApiClient api, string credential, string receiver) =>
        api.PostAsync("/v1/messages", new { to = new[] { $"{receiver}@user" }, type = "text", content = new { text = "q" } }, credential);

    private async Task<RawDevice> RegisteredAsync(int port, string tenantId, string userId)
    {
        var token = await system.LoginAsync(tenantId, userId);
        var device = await RawDevice.ConnectAsync(port);
        Assert.Equal((byte)RegisterResultCode.Ok, (await device.RegisterAsync(userId, token)).Code);
        return device;
    }

    private static async Task<ReceivedFrame> ImAsync(RawDevice device, uint tid, string to)
    {
        await device.SendFrameAsync(MessageType.Im, tid, Encoding.UTF8.GetBytes("{\"to\":\"" + to + "\",\"type\":\"text\",\"content\":{\"text\":\"im\"}}"));
        while (true)
        {
            var frame = await device.ReceiveAsync();
            if (frame.Type == MessageType.ImResp && frame.Tid == tid)
            {
                return frame;
            }
        }
    }
}
