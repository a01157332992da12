using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AppMsg.Bench.Infrastructure;
using AppMsg.Bench.Report;
using AppMsg.Bench.Systems;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// Offline notifications: --users offline users, each with an iOS device registered for APNs, in one qun; the
/// operator sends --messages messages to the qun as fast as the API answers (8 at a time). Counted at a
/// loopback APNs receiver (HTTP/2, TLS): notifications per second from the first send to the last request,
/// and the time from sending a message to each provider request for it. With --notify-rate R the messages leave
/// at R per second for --duration seconds whatever the system does with the earlier ones (open loop), and each
/// latency is counted from the moment its message was due, so p99 is latency at that rate, not a burst's queue.
/// AppMsg only: the peers have no push.
/// </summary>
public sealed class NotifyScenario : Scenario
{
    private const int Publishers = 8;
    private const int RatePublishers = 32;
    private readonly string directory;
    private LoopbackApns? apns;

    public NotifyScenario(BenchOptions options, string logDirectory) : base(options with { Systems = ["appmsg"] }, logDirectory)
    {
        directory = Path.Combine(logDirectory, "notify");
    }

    protected override string Name => "notify";

    protected override ResultTable CreateMainTable(ScenarioReport report)
    {
        report.Parameters["users"] = Options.Users;
        report.Parameters["messages"] = MessageCount;
        if (Options.NotifyRate > 0)
        {
            report.Parameters["rate_per_s"] = Options.NotifyRate;
            report.Parameters["duration_s"] = Options.DurationSeconds;
        }
        report.Notes.Add("notifications/s: APNs requests at the loopback receiver over the time from the first send to the last request.");
        report.Notes.Add("latency: from the POST /v1/messages that stored the message to each provider request for it (the store's commit included).");
        report.Notes.Add("The receiver and the publisher run on the same 2 cores as the silo, the edge and PostgreSQL.");
        return new ResultTable
        {
            Title = Options.NotifyRate > 0
                ? $"Notifications: a qun of {Options.Users:N0} offline iOS users, {Options.NotifyRate:N0} messages/s for {Options.DurationSeconds} s"
                : $"Notifications: a qun of {Options.Users:N0} offline iOS users, {Options.Messages:N0} messages",
            Columns =
            [
                new("expected", "expected"),
                new("received", "received"),
                new("notifications_per_s", "notifications/s", "N0"),
                new("p50_ms", "p50 ms", "0.0"),
                new("p99_ms", "p99 ms", "0.0"),
                new("max_ms", "max ms", "0"),
            ],
        };
    }

    protected override async Task RunSystemAsync(IBenchSystem system, ScenarioReport report, CancellationToken cancellationToken)
    {
        var appMsg = (AppMsgSystem)system;
        var api = appMsg.Api;
        var users = await system.CreateUsersAsync(Options.Users, cancellationToken);
        var qun = await system.CreateGroupAsync(users, cancellationToken);
        var app = await ReadAsync(await api.PostAsJsonAsync("/v1/apps", new { tenantId = appMsg.TenantId, name = "notify-bench" }, cancellationToken), cancellationToken);
        var appId = app.GetProperty("id").GetString()!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await ReadAsync(await api.PutAsJsonAsync($"/v1/apps/{appId}/push/apns", new
        {
            keyId = "BENCHKEY01", teamId = "BENCHTEAM1", topic = "dev.appmsg.bench", privateKey = key.ExportPkcs8PrivateKeyPem(), endpoint = apns!.Url,
        }, cancellationToken), cancellationToken);
        await SetupProgress.ForEachAsync("AppMsg: iOS registrations", users.Length, Options.SetupConcurrency, async (i, token) =>
            await ReadAsync(await api.PutAsJsonAsync($"/v1/users/{users[i].Id}/devices/iphone", new
            {
                platform = "apns", appId, terminalType = 2, token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            }, token), token), cancellationToken);

        var row = Row(system);
        var messages = MessageCount;
        var expected = (long)Options.Users * messages;
        var sentAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var next = 0;
        var cpu = Cpu(system);
        cpu.Start();
        var started = Stopwatch.GetTimestamp();
        await using (new ProgressTicker("AppMsg: notifying", () => $"sent {sentAt.Count:N0}, provider requests {apns.Count:N0}/{expected:N0}"))
        {
            var publishers = Options.NotifyRate > 0 ? RatePublishers : Publishers;
            await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
            {
                int k;
                while ((k = Interlocked.Increment(ref next)) <= messages)
                {
                    var at = Stopwatch.GetTimestamp();
                    if (Options.NotifyRate > 0)
                    {
                        // Open loop: message k is due at (k - 1) / rate seconds; its latency counts from then.
                        var due = started + ((k - 1) * Stopwatch.Frequency / Options.NotifyRate);
                        var wait = Stopwatch.GetElapsedTime(at, due);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, cancellationToken);
                        }

                        at = due;
                    }

                    var answer = await ReadAsync(await api.PostAsJsonAsync("/v1/messages", new { to = new[] { $"{qun}@qun" }, type = "text", content = new { text = $"bench {at}" } }, cancellationToken), cancellationToken);
                    sentAt[answer.GetProperty("results")[0].GetProperty("id").GetString()!] = at;
                }
            }, cancellationToken)));
            await WaitAsync(() => apns.Count >= expected, () => apns.Count, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), cancellationToken);
        }

        row.CpuPercent = cpu.Stop();
        var latency = new LatencyHistogram();
        long last = started;
        foreach (var (messageId, at) in apns.Received)
        {
            last = Math.Max(last, at);
            if (sentAt.TryGetValue(messageId, out var sent))
            {
                latency.Record(Stopwatch.GetElapsedTime(sent, at));
            }
        }

        row.Metrics["expected"] = expected;
        row.Metrics["received"] = apns.Count;
        row.Metrics["notifications_per_s"] = apns.Count / Math.Max(0.001, Stopwatch.GetElapsedTime(started, last).TotalSeconds);
        row.Metrics["p50_ms"] = latency.PercentileMs(50);
        row.Metrics["p99_ms"] = latency.PercentileMs(99);
        row.Metrics["max_ms"] = latency.MaxMs;
        if (apns.Count != expected)
        {
            row.Status = $"RECEIVED {apns.Count} of {expected}";
        }

        MainTable.Rows.Add(row);
    }

    /// <summary>Starts the loopback APNs before the system, so the silo starts trusting its certificate (and can store credentials).</summary>
    public async Task StartReceiverAsync()
    {
        apns = await LoopbackApns.StartAsync(directory);
        Environment.SetEnvironmentVariable("APPMSG_PUSH_TRUST_PEM", apns.TrustPemPath);
        Environment.SetEnvironmentVariable("APPMSG_SECRETS_KEY", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    private int MessageCount => Options.NotifyRate > 0 ? Options.NotifyRate * Options.DurationSeconds : Options.Messages;

    public ValueTask StopReceiverAsync() => apns?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            }

            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
