using System.Diagnostics;
using AppMsg.Bench.Infrastructure;
using AppMsg.Bench.Report;
using AppMsg.Bench.Systems;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// One group of N online members; a publisher sends to it for the duration, keeping at most --window messages
/// not yet received by every member (so a system is driven at the rate it delivers, not buried). Deliveries
/// are counted at the devices, each (member, message) once; publish-to-receive latency from a timestamp in the
/// payload; every message the system accepted must reach every member.
/// </summary>
public sealed class FanoutScenario(BenchOptions options, string logDirectory) : Scenario(options, logDirectory)
{
    protected override string Name => "fanout";

    protected override ResultTable CreateMainTable(ScenarioReport report)
    {
        report.Parameters["members"] = Options.Members;
        report.Parameters["duration_s"] = Options.DurationSeconds;
        report.Parameters["publishers"] = Options.Publishers;
        if (Options.FanoutRate > 0)
        {
            report.Parameters["rate_per_s"] = Options.FanoutRate;
        }
        report.Parameters["window"] = Options.Window;
        report.Parameters["transport"] = Options.Transport;
        report.Notes.Add("deliveries/s: distinct (member, message) receipts at the devices over the time from the first publish to the last receipt.");
        report.Notes.Add("AppMsg stores every message in PostgreSQL (fsync on) before it is delivered; nats-server (core NATS) and SignalR store nothing and acknowledge nothing; mosquitto runs QoS 1 with persistence off.");
        report.Notes.Add("missed live: (member, message) deliveries that did not arrive while connected; AppMsg devices then send SYNC, and lost counts what is still missing after it. Deliveries after the SYNC are not in deliveries/s or latency.");
        report.Notes.Add("The load generator (all devices and the publisher) runs on the same 2 cores as the server: see the CPU column.");
        report.Notes.Add("edge CPU µs/delivery: the edge process's CPU time (user + system, /proc) over the window, divided by the deliveries. It counts what the edge spent, not how much CPU it was given, so it moves much less with other load on the machine than deliveries/s.");
        return new ResultTable
        {
            Title = $"Fan-out: one group of {Options.Members:N0} online members, {Options.DurationSeconds} s per publisher",
            Columns =
            [
                new("published", "published"),
                new("deliveries_per_s", "deliveries/s", "N0", Ratio: true),
                new("p50_ms", "p50 ms", "0.0", Ratio: true),
                new("p99_ms", "p99 ms", "0.0", Ratio: true),
                new("max_ms", "max ms", "0"),
                new("edge_cpu_us_per_delivery", "edge CPU µs/delivery", "0.00", Ratio: true),
                new("missed_live", "missed live"),
                new("lost", "lost"),
                new("duplicates", "dup"),
                new("publish_errors", "pub errors"),
                new("disconnects", "disconnects"),
            ],
        };
    }

    protected override async Task RunSystemAsync(IBenchSystem system, ScenarioReport report, CancellationToken cancellationToken)
    {
        var members = Options.Members;
        var users = await system.CreateUsersAsync(members, cancellationToken);
        var group = await system.CreateGroupAsync(users, cancellationToken);
        var ledger = new DeliveryLedger(members, perReceiver: true);
        var (connections, failures, elapsed, firstError) = await ConnectAllAsync(
            system, users, group, persistent: false, (r, payload) => Volatile.Read(ref ledger).Record(r, payload), cancellationToken);
        try
        {
            if (failures > 0)
            {
                throw new InvalidOperationException($"{failures} of {members} devices did not connect ({firstError})");
            }

            ProgressTicker.Say($"{system.Name}: {members} devices connected in {elapsed.TotalSeconds:0.0} s ({TransportNote(system)})");
            foreach (var kind in system.PublisherKinds)
            {
                CurrentVariant = system.IsAppMsg ? kind : "";
                var window = new FanoutWindow(members);
                Volatile.Write(ref ledger, new DeliveryLedger(members, perReceiver: true, onFirstReceipt: window.Received));
                var row = Row(system, CurrentVariant);
                await using var publisher = await system.CreatePublisherAsync(kind, cancellationToken);
                await WarmUpAsync(system, publisher, group, ledger, row, cancellationToken);
                await PublishPhaseAsync(system, publisher, group, ledger, window, connections, row, cancellationToken);
                row.Notes.Add($"transport {TransportNote(system)}");
                MainTable.Rows.Add(row);
            }
        }
        finally
        {
            await DisconnectAllAsync(connections);
        }
    }

    /// <summary>Publishes warm-up messages until every member got one: every subscription is in place before the clock starts.</summary>
    private async Task WarmUpAsync(IBenchSystem system, IBenchPublisher publisher, string group, DeliveryLedger ledger, SystemResult row, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long warmUps = 0;
        while (ledger.WarmReceivers < Options.Members && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            await publisher.PublishAsync(group, BenchPayload.Create(-(++warmUps)), cancellationToken);
            await WaitAsync(() => ledger.WarmReceivers >= Options.Members, () => ledger.WarmReceivers, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), cancellationToken);
        }

        if (ledger.WarmReceivers < Options.Members)
        {
            row.Notes.Add($"only {ledger.WarmReceivers} of {Options.Members} members received the warm-up within 60 s");
        }

        ProgressTicker.Say($"{system.Name}: warm-up done ({warmUps} messages, {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
    }

    private async Task PublishPhaseAsync(
        IBenchSystem system, IBenchPublisher publisher, string group, DeliveryLedger ledger, FanoutWindow window, IBenchConnection?[] connections, SystemResult row, CancellationToken cancellationToken)
    {
        var members = Options.Members;
        var accepted = new BitSet();
        long acknowledged = 0;
        long errors = 0;
        string? firstError = null;
        var disconnectsBefore = connections.Sum(c => c?.Disconnects ?? 0);
        var cpu = Cpu(system);
        cpu.Start();
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(Options.Duration.TotalSeconds * Stopwatch.Frequency);
        long lastDelivered = 0;
        var lastTick = started;

        long scheduled = 0;
        async Task WorkerAsync()
        {
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                if (Options.FanoutRate > 0)
                {
                    // Open loop: message k leaves at k / rate seconds, whatever the system does with the earlier ones.
                    var due = started + Interlocked.Increment(ref scheduled) * Stopwatch.Frequency / Options.FanoutRate;
                    if (due >= stopAt)
                    {
                        return;
                    }

                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }
                }

                // The window: stop issuing while too much is on its way (never reached at a light fixed rate).
                while (Options.FanoutRate == 0 && window.Outstanding() >= Options.Window && Stopwatch.GetTimestamp() < stopAt)
                {
                    await Task.Delay(1, cancellationToken);
                }

                if (Stopwatch.GetTimestamp() >= stopAt)
                {
                    return;
                }

                var n = window.Issue();
                try
                {
                    await publisher.PublishAsync(group, BenchPayload.Create(n), cancellationToken);
                    accepted.TryAdd(n);
                    Interlocked.Increment(ref acknowledged);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, FirstLine(e.Message), null);
                }
            }
        }

        await using (new ProgressTicker($"{system.Name} {CurrentVariant}: publishing", () =>
        {
            var now = Stopwatch.GetTimestamp();
            var delivered = ledger.Delivered;
            var rate = (delivered - lastDelivered) / Math.Max(0.001, Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds);
            lastDelivered = delivered;
            lastTick = now;
            return $"published {Volatile.Read(ref acknowledged):N0}, delivered {delivered:N0} ({rate:N0}/s), p99 {TableRenderer.Format(ledger.Latency.PercentileMs(99), "0.0")} ms, errors {Volatile.Read(ref errors)}";
        }))
        {
            await Task.WhenAll(Enumerable.Range(0, Options.Publishers).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
            var expected = Volatile.Read(ref acknowledged) * members;
            await WaitAsync(() => ledger.Delivered >= expected, () => ledger.Delivered, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), cancellationToken);
        }

        var elapsed = Math.Max(0.001, (LastDeliveryOrNow(ledger) - started) / (double)Stopwatch.Frequency);
        row.CpuPercent = cpu.Stop();
        var deliveredLive = ledger.Delivered;
        row.Metrics["edge_cpu_us_per_delivery"] = cpu.Seconds.TryGetValue("edge", out var edgeSeconds) && deliveredLive > 0
            ? Math.Round(edgeSeconds * 1e6 / deliveredLive, 2) : null;
        var latency = (P50: ledger.Latency.PercentileMs(50), P99: ledger.Latency.PercentileMs(99), Max: ledger.Latency.MaxMs);
        var issued = window.Issued;
        var duplicatesLive = ledger.Duplicates;
        long CountLost(List<long>? messages)
        {
            long missingTotal = 0;
            for (long n = 1; n <= issued; n++)
            {
                if (!accepted.Contains(n))
                {
                    continue;
                }

                var missing = 0;
                for (var r = 0; r < members; r++)
                {
                    if (!ledger.Received(r, n))
                    {
                        missing++;
                    }
                }

                missingTotal += missing;
                if (missing > 0)
                {
                    messages?.Add(n);
                }
            }

            return missingTotal;
        }

        var lostMessages = new List<long>();
        var missedLive = CountLost(lostMessages);
        var lost = missedLive;
        if (missedLive > 0)
        {
            row.Notes.Add($"{lostMessages.Count} of {acknowledged} accepted messages missed at least one member live; numbers {string.Join(",", lostMessages.Take(20))}{(lostMessages.Count > 20 ? ",..." : "")} of 1..{issued}");
            if (await RecoverAllAsync(system, connections, ledger, cancellationToken))
            {
                lost = CountLost(null);
                row.Notes.Add($"after SYNC from every device, {lost:N0} deliveries still missing");
            }
        }

        row.Metrics["published"] = acknowledged;
        row.Metrics["delivered"] = deliveredLive;
        row.Metrics["deliveries_per_s"] = Math.Round(deliveredLive / elapsed);
        row.Metrics["messages_per_s"] = Math.Round(acknowledged / elapsed, 1);
        row.Metrics["p50_ms"] = latency.P50;
        row.Metrics["p99_ms"] = latency.P99;
        row.Metrics["max_ms"] = latency.Max;
        row.Metrics["missed_live"] = missedLive;
        row.Metrics["lost"] = lost;
        row.Metrics["duplicates"] = duplicatesLive;
        row.Metrics["publish_errors"] = errors;
        row.Metrics["disconnects"] = connections.Sum(c => c?.Disconnects ?? 0) - disconnectsBefore;
        row.Metrics["seconds"] = Math.Round(elapsed, 2);
        if (lost > 0)
        {
            row.Status = $"LOST {lost:N0}";
        }
        else if (missedLive > 0)
        {
            row.Status = $"MISSED LIVE {missedLive:N0} (SYNC recovered)";
        }
        else if (acknowledged == 0)
        {
            row.Status = "FAILED: nothing was published";
        }

        if (firstError is not null)
        {
            row.Notes.Add($"{errors} publish errors, first: {firstError}");
        }

        // Behind a fixed rate, frames queue on each connection and leave in bigger batches: cheaper per delivery.
        if (Options.FanoutRate > 0 && latency.P50 is { } p50 && p50 > 10_000.0 / Options.FanoutRate)
        {
            row.Notes.Add($"fell behind the rate (p50 {p50:0} ms, over 10 message intervals): its batches grew, so its edge CPU per delivery is not comparable with a row that kept up");
        }

        static long LastDeliveryOrNow(DeliveryLedger ledger) => ledger.LastDelivery > 0 ? ledger.LastDelivery : Stopwatch.GetTimestamp();
    }
}
