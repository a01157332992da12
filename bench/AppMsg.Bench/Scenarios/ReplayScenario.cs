using System.Diagnostics;
using AppMsg.Bench.Infrastructure;
using AppMsg.Bench.Report;
using AppMsg.Bench.Systems;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// N offline users with M messages stored for each reconnect at once: the time until every device has all
/// of its messages. Systems that keep nothing for offline users (SignalR) get "n/a". mosquitto keeps them
/// for persistent sessions (QoS 1), in memory.
/// </summary>
public sealed class ReplayScenario(BenchOptions options, string logDirectory) : Scenario(options, logDirectory)
{
    private const int StoreConcurrency = 16;

    protected override string Name => "replay";

    protected override ResultTable CreateMainTable(ScenarioReport report)
    {
        report.Parameters["users"] = Options.Users;
        report.Parameters["messages_per_user"] = Options.Messages;
        report.Parameters["concurrency"] = Options.SetupConcurrency;
        report.Parameters["transport"] = Options.Transport;
        report.Notes.Add("Caught up: from the first reconnect to the last device having all its messages; every device connects at once (--concurrency at a time).");
        report.Notes.Add("Storing: AppMsg through its first publisher (POST /v1/messages with up to 1,000 users per request, or the Orleans client), into PostgreSQL with fsync; mosquitto in memory.");
        return new ResultTable
        {
            Title = $"Replay: {Options.Users:N0} offline users x {Options.Messages:N0} messages reconnect at once",
            Columns =
            [
                new("stored_per_s", "stored msgs/s", "N0", Ratio: true),
                new("connect_all_s", "all connected s", "0.00"),
                new("caught_up_s", "all caught up s", "0.00", Ratio: true),
                new("p50_user_s", "p50 user s", "0.00"),
                new("replayed_per_s", "replayed msgs/s", "N0", Ratio: true),
                new("lost", "lost"),
                new("duplicates", "dup"),
            ],
        };
    }

    protected override async Task RunSystemAsync(IBenchSystem system, ScenarioReport report, CancellationToken cancellationToken)
    {
        if (!system.StoresOffline)
        {
            var na = Row(system);
            na.Status = "n/a: keeps nothing for offline users";
            MainTable.Rows.Add(na);
            return;
        }

        var count = Options.Users;
        var perUser = Options.Messages;
        var users = await system.CreateUsersAsync(count, cancellationToken);
        await system.PrepareOfflineAsync(users, cancellationToken);

        var row = Row(system, system.IsAppMsg ? system.PublisherKinds[0] : "");
        CurrentVariant = row.Variant;
        var storeStarted = Stopwatch.GetTimestamp();
        var stored = 0;
        await using (var publisher = await system.CreatePublisherAsync(system.PublisherKinds[0], cancellationToken))
        await using (new ProgressTicker($"{system.Name}: storing", () => $"{Volatile.Read(ref stored) * (long)count:N0}/{(long)perUser * count:N0} messages"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, perUser), new ParallelOptions { MaxDegreeOfParallelism = StoreConcurrency, CancellationToken = cancellationToken },
                async (m, token) =>
                {
                    await publisher.PublishToUsersAsync(users, BenchPayload.Create(m), token);
                    Interlocked.Increment(ref stored);
                });
        }

        var storeSeconds = Stopwatch.GetElapsedTime(storeStarted).TotalSeconds;
        var ledger = new DeliveryLedger(count, perReceiver: true, targetPerReceiver: perUser);
        var cpu = Cpu(system);
        cpu.Start();
        var started = Stopwatch.GetTimestamp();
        var connecting = ConnectAllAsync(system, users, group: null, persistent: true, ledger.Record, cancellationToken);
        await using (new ProgressTicker($"{system.Name}: catching up", () => $"{ledger.CompleteReceivers}/{count} caught up, {ledger.Delivered:N0} messages"))
        {
            await connecting;
        }

        var (connections, failures, elapsed, firstError) = await connecting;
        try
        {
            await using (new ProgressTicker($"{system.Name}: catching up", () => $"{ledger.CompleteReceivers}/{count} caught up, {ledger.Delivered:N0} messages"))
            {
                await WaitAsync(() => ledger.CompleteReceivers >= count, () => ledger.Delivered, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(300), cancellationToken);
            }

            row.CpuPercent = cpu.Stop();
            var completions = ledger.CompletionSeconds(started);
            var expected = (long)count * perUser;
            var caughtUp = ledger.CompleteReceivers >= count ? (ledger.LastCompletion - started) / (double)Stopwatch.Frequency : (double?)null;
            row.Metrics["stored"] = expected;
            row.Metrics["stored_per_s"] = Math.Round(expected / storeSeconds);
            row.Metrics["connect_all_s"] = Math.Round(elapsed.TotalSeconds, 2);
            row.Metrics["caught_up_s"] = caughtUp is { } c ? Math.Round(c, 2) : null;
            row.Metrics["p50_user_s"] = completions.Length > 0 ? Math.Round(completions[completions.Length / 2], 2) : null;
            row.Metrics["replayed_per_s"] = caughtUp is { } d ? Math.Round(ledger.Delivered / d) : null;
            row.Metrics["delivered"] = ledger.Delivered;
            row.Metrics["lost"] = expected - ledger.Delivered;
            row.Metrics["duplicates"] = ledger.Duplicates;
            row.Notes.Add($"transport {TransportNote(system)}");
            if (failures > 0)
            {
                row.Status = $"FAILED: {failures} connects ({firstError})";
            }
            else if (expected > ledger.Delivered)
            {
                row.Status = $"LOST {expected - ledger.Delivered:N0}";
            }

            MainTable.Rows.Add(row);
        }
        finally
        {
            await DisconnectAllAsync(connections);
        }
    }
}
