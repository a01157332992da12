using System.Net;
using System.Text;
using System.Text.Json;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>Statistics: a scripted workload comes back exactly, per app and in the tenant's totals, and survives a restart.</summary>
public sealed class StatsTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Stats_count_exactly_what_a_workload_did_per_app_and_hour_and_survive_a_restart()
    {
        var (tenantId, writer) = await system.NewUserAsync();
        var reader = await NewUserAsync(tenantId);
        var late = await NewUserAsync(tenantId);
        var (first, firstCredential) = await NewAppAsync(tenantId);
        var (second, secondCredential) = await NewAppAsync(tenantId);
        var qunId = (await system.Api.PostAsync("/v1/quns", new { tenantId, name = "stats", ownerId = reader }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
        (await system.Api.PutAsync($"/v1/apps/{second}/quotas", new { recipientsPerMessage = 1 }, system.AdminKey)).Expect(HttpStatusCode.NoContent);
        var readerDevice = await RegisteredAsync(tenantId, reader);

        // The first app: 3 to a user and 1 to a qun (4 API calls); the second: 2 to a user, 1 to an offline user and one
        // refused for its recipients (4 API calls, 1 refusal); the writer: 1 over HTTP (1 API call) and 1 by IM.
        for (var i = 0; i < 3; i++)
        {
            (await SendAsync(firstCredential, $"{reader}@user")).Expect(HttpStatusCode.OK);
        }

        (await SendAsync(firstCredential, $"{qunId}@qun")).Expect(HttpStatusCode.OK);
        (await SendAsync(secondCredential, $"{reader}@user")).Expect(HttpStatusCode.OK);
        (await SendAsync(secondCredential, $"{reader}@user")).Expect(HttpStatusCode.OK);
        (await SendAsync(secondCredential, $"{late}@user")).Expect(HttpStatusCode.OK);
        Assert.Equal("over_quota", (await SendAsync(secondCredential, $"{reader}@user", $"{late}@user")).Code);
        (await SendAsync(await system.LoginAsync(tenantId, writer, 8), $"{reader}@user")).Expect(HttpStatusCode.OK);
        await using (var writerDevice = await RegisteredAsync(tenantId, writer))
        {
            // Its own HTTP message comes back to it by replay (the sender's copy: conversations on every device).
            var copy = await writerDevice.ReceiveAsync();
            Assert.NotEqual(0, copy.Offline());
            await writerDevice.AcknowledgeAsync(copy);
            await writerDevice.SendFrameAsync(MessageType.Im, 9, Encoding.UTF8.GetBytes("{\"to\":\"" + reader + "@user\",\"type\":\"text\",\"content\":{\"text\":\"im\"}}"));
            Assert.Equal(0, (await ReceiveAsync(writerDevice, MessageType.ImResp)).Code);
        }

        // The reader gets 8 live and acknowledges them; the late user connects and gets its one by replay.
        for (var i = 0; i < 8; i++)
        {
            var frame = await readerDevice.ReceiveAsync();
            Assert.True(frame.Type == MessageType.Im || frame.Offline() == 0);
            await readerDevice.AcknowledgeAsync(frame);
        }

        var lateDevice = await RegisteredAsync(tenantId, late);
        var replayed = await lateDevice.ReceiveAsync();
        Assert.NotEqual(0, replayed.Offline());
        await lateDevice.AcknowledgeAsync(replayed);

        var firstApp = await Eventually.ReturnsAsync(() => TotalsAsync($"appId={first}"), t => t.ApiCalls == 4, Within, "the first app's counts");
        Assert.Equal((3L, 1L, 0L, 0L, 4L), (firstApp.ToUser, firstApp.ToQun, firstApp.Refusals, firstApp.Live, firstApp.ApiCalls));
        var secondApp = await Eventually.ReturnsAsync(() => TotalsAsync($"appId={second}"), t => t.Refusals == 1, Within, "the second app's counts");
        Assert.Equal((3L, 0L, 1L, 4L), (secondApp.ToUser, secondApp.ToQun, secondApp.Refusals, secondApp.ApiCalls));

        var expected = new Totals(ToUser: 8, ToQun: 1, Live: 8, Replayed: 2, Acknowledgements: 10, ApiCalls: 9, Refusals: 1, PeakConnections: 2);
        var tenant = await Eventually.ReturnsAsync(() => TotalsAsync($"tenantId={tenantId}"), t => t == expected, Within, "the tenant's totals");
        Assert.Equal(expected, tenant);
        var byDay = await TotalsAsync($"tenantId={tenantId}&granularity=day");
        Assert.Equal(expected, byDay);

        await readerDevice.DisposeAsync();
        await lateDevice.DisposeAsync();
        await system.RestartAsync();
        Assert.Equal(expected, await TotalsAsync($"tenantId={tenantId}"));
        Assert.Equal(firstApp, await TotalsAsync($"appId={first}"));
    }

    [Fact]
    public async Task Stats_refuse_bad_ranges_and_callers_out_of_reach()
    {
        var (tenantId, userId) = await system.NewUserAsync();
        var (appId, credential) = await NewAppAsync(tenantId);
        var (otherTenant, _) = await system.NewUserAsync();
        var (_, stranger) = await NewAppAsync(otherTenant);
        var token = await system.LoginAsync(tenantId, userId);

        Assert.Equal("validation_failed", (await system.Api.GetAsync($"/v1/stats?tenantId={tenantId}&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", system.AdminKey)).Code);
        Assert.Equal("validation_failed", (await system.Api.GetAsync($"/v1/stats?tenantId={tenantId}&from=2024-01-01T00:00:00Z&to=2025-06-01T00:00:00Z", system.AdminKey)).Code);
        Assert.Equal("validation_failed", (await system.Api.GetAsync($"/v1/stats?tenantId={tenantId}&granularity=week", system.AdminKey)).Code);
        Assert.Equal("validation_failed", (await system.Api.GetAsync($"/v1/stats?tenantId={tenantId}&from=yesterday", system.AdminKey)).Code);
        Assert.Equal("validation_failed", (await system.Api.GetAsync("/v1/stats", system.AdminKey)).Code);

        (await system.Api.GetAsync("/v1/stats", credential)).Expect(HttpStatusCode.OK);
        (await system.Api.GetAsync($"/v1/stats?tenantId={tenantId}", credential)).Expect(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/stats?appId={appId}", stranger)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Api.GetAsync($"/v1/stats?tenantId={tenantId}", stranger)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await system.Api.GetAsync($"/v1/stats?tenantId={tenantId}", token)).Status);
    }

    private sealed record Totals(long ToUser, long ToQun, long Live, long Replayed, long Acknowledgements, long ApiCalls, long Refusals, long PeakConnections);

    /// <summary>The counts summed over the rows (a workload may straddle an hour), each row at a whole hour or day.</summary>
    private async Task<Totals> TotalsAsync(string query)
    {
        var answer = (await system.Api.GetAsync($"/v1/stats?{query}", system.AdminKey)).Expect(HttpStatusCode.OK);
        long user = 0, qun = 0, live = 0, replayed = 0, acks = 0, calls = 0, refusals = 0, peak = 0;
        foreach (var row in answer.Body.GetProperty("rows").EnumerateArray())
        {
            var at = row.GetProperty("at").GetDateTimeOffset();
            Assert.Equal(0, at.Minute + at.Second + at.Millisecond);
            user += row.GetProperty("messages").GetProperty("user").GetInt64();
            qun += row.GetProperty("messages").GetProperty("qun").GetInt64();
            live += Count(row, "deliveriesLive");
            replayed += Count(row, "deliveriesReplayed");
            acks += Count(row, "acknowledgements");
            calls += Count(row, "apiCalls");
            refusals += Count(row, "quotaRefusals");
            peak = Math.Max(peak, Count(row, "peakConnections"));
        }

        return new Totals(user, qun, live, replayed, acks, calls, refusals, peak);
    }

    private static long Count(JsonElement row, string name) => row.GetProperty(name).GetInt64();

    private Task<ApiClient.Response> SendAsync(string credential, params string[] to) =>
        system.Api.PostAsync("/v1/messages", new { to, type = "text", content = new { text = "counted" } }, credential);

    private async Task<string> NewUserAsync(string tenantId) =>
        (await system.Api.PostAsync("/v1/users", new { tenantId, username = "s" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, system.AdminKey))
            .Expect(HttpStatusCode.Created)["id"];

    private async Task<(string AppId, string Credential)> NewAppAsync(string tenantId)
    {
        var created = (await system.Api.PostAsync("/v1/apps", new { tenantId, name = "stats app" }, system.AdminKey)).Expect(HttpStatusCode.Created);
        return (created["id"], $"{created["id"]}:{created["secret"]}");
    }

    private async Task<RawDevice> RegisteredAsync(string tenantId, string userId)
    {
        var token = await system.LoginAsync(tenantId, userId);
        var device = await RawDevice.ConnectAsync(system.TcpPort);
        Assert.Equal((byte)RegisterResultCode.Ok, (await device.RegisterAsync(userId, token)).Code);
        await system.WaitUntilLiveAsync(userId);
        return device;
    }

    private static async Task<ReceivedFrame> ReceiveAsync(RawDevice device, MessageType type)
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
}
