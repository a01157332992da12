using System.Diagnostics;
using AppMsg.Bench.Infrastructure;
using AppMsg.Bench.Report;
using AppMsg.Bench.Systems;

namespace AppMsg.Bench.Scenarios;

/// <summary>
/// 1:1 messages between M online devices (one user each) at a fixed rate, open loop: each message has its
/// scheduled send time in the payload, so a system that falls behind shows it in the latency (no coordinated
/// omission). AppMsg: an IM from the device, answered after it is stored. Then a ramp of rising rates, until a
/// step is overloaded (under 95 % of the target delivered live, a backlog, or p99 over 1 s), finds the highest
/// sustained rate (95 % delivered live, nothing missed, p99 under 100 ms) and the highest rate delivered at all.
/// </summary>
public sealed class DirectScenario(BenchOptions options, string logDirectory) : Scenario(options, logDirectory)
{
    private const double SustainedP99Ms = 100;
    private const double OverloadedP99Ms = 1000;
    private ResultTable rampTable = null!;

    protected override string Name => "direct";

    protected override ResultTable CreateMainTable(ScenarioReport report)
    {
        report.Parameters["devices"] = Options.Devices;
        report.Parameters["rate"] = Options.Rate;
        report.Parameters["duration_s"] = Options.DurationSeconds;
        report.Parameters["transport"] = Options.Transport;
        if (Options.Ramp)
        {
            report.Parameters["ramp"] = string.Join("/", Options.RampRates);
            report.Parameters["step_s"] = Options.StepSeconds;
        }

        report.Notes.Add("Latency is from the scheduled send time to receipt at the addressee's device (open loop).");
        report.Notes.Add($"max sustained/s: the highest ramp step with >= 95 % of the target delivered live, nothing missed live, p99 < {SustainedP99Ms} ms. max delivered/s: the highest step with >= 95 % delivered live, no backlog and p99 < {OverloadedP99Ms} ms; the ramp stops at the first step that fails this.");
        report.Notes.Add("missed live: accepted messages that did not arrive while connected; AppMsg devices then send SYNC, and lost counts what is still missing after it.");
        report.Notes.Add("AppMsg: IM up from the sender's device, IMRESP after the PostgreSQL commit (fsync on), IM down to the addressee. nats-server: core publish to the addressee's subject (no acknowledgement). SignalR: hub method to the addressee's group. mosquitto: QoS 1 publish to the addressee's topic.");
        rampTable = new ResultTable
        {
            Title = "1:1 ramp (each step " + Options.StepSeconds + " s)",
            Columns =
            [
                new("target_rate", "target/s"),
                new("achieved_rate", "delivered/s"),
                new("p50_ms", "p50 ms", "0.0"),
                new("p99_ms", "p99 ms", "0.0"),
                new("p999_ms", "p99.9 ms", "0.0"),
                new("missed_live", "missed live"),
                new("lost", "lost"),
                new("send_errors", "send errors"),
                new("backlog_skipped", "not sent (backlog)"),
            ],
        };
        if (Options.Ramp)
        {
            report.Tables.Add(rampTable);
        }

        return new ResultTable
        {
            Title = $"1:1 messages: {Options.Devices:N0} devices, {Options.Rate:N0}/s for {Options.DurationSeconds} s",
            Columns =
            [
                new("achieved_rate", "delivered/s", "N0", Ratio: true),
                new("p50_ms", "p50 ms", "0.0", Ratio: true),
                new("p99_ms", "p99 ms", "0.0", Ratio: true),
                new("p999_ms", "p99.9 ms", "0.0", Ratio: true),
                new("max_ms", "max ms", "0"),
                new("missed_live", "missed live"),
                new("lost", "lost"),
                new("send_errors", "send errors"),
                new("backlog_skipped", "not sent (backlog)"),
                new("max_sustained_rate", "max sustained/s", "N0", Ratio: true),
                new("max_delivered_rate", "max delivered/s", "N0", Ratio: true),
                new("disconnects", "disconnects"),
            ],
        };
    }

    protected override async Task RunSystemAsync(IBenchSystem system, ScenarioReport report, CancellationToken cancellationToken)
    {
        var count = Options.Devices;
        var users = await system.CreateUsersAsync(count, cancellationToken);
        var ledger = new DeliveryLedger(count, perReceiver: false);
        var (connections, failures, elapsed, firstError) = await ConnectAllAsync(
            system, users, group: null, persistent: false, (r, payload) => Volatile.Read(ref ledger).Record(r, payload), cancellationToken);
        try
        {
            if (failures > 0)
            {
                throw new InvalidOperationException($"{failures} of {count} devices did not connect ({firstError})");
            }

            ProgressTicker.Say($"{system.Name}: {count} devices connected in {elapsed.TotalSeconds:0.0} s ({TransportNote(system)})");
            var devices = connections.Select(c => c!).ToArray();

            // Warm-up: one message to every user, so that every inbox is active before the clock starts.
            await SetupProgress.ForEachAsync($"{system.Name}: warm-up", count, Options.SetupConcurrency,
                (i, token) => devices[i].SendAsync(users[(i + 1) % count], BenchPayload.Create(-1 - i), token), cancellationToken);
            await WaitAsync(() => ledger.WarmReceivers >= count, () => ledger.WarmReceivers, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), cancellationToken);

            // Unmeasured: a few seconds at a quarter of the rate, so that JIT and activations are behind us.
            var warmRate = Math.Max(1, Math.Min(Options.Rate, Options.RampRates[0]) / 4);
            var warmUpRow = Row(system);
            var nextN = 0L;
            await RunRateAsync(system, devices, users, ledger, warmRate, TimeSpan.FromSeconds(3), warmUpRow, () => ++nextN, cancellationToken);

            var quota = Options.Quota && system is AppMsgSystem;
            // The ramp's figures go to the first fixed-rate row (without quotas).
            SystemResult? row = null;
            // With --quota: without, with, and again without, so that drift over the run (a warming system, a neighbour's
            // load) shows as a difference between the two rows without quotas rather than passing for their cost.
            var phases = quota ? new[] { false, true, false } : [false];
            for (var p = 0; p < phases.Length; p++)
            {
                var withQuotas = phases[p];
                if (quota)
                {
                    await ((AppMsgSystem)system).SetTenantQuotasAsync(withQuotas, cancellationToken);
                }

                var disconnectsBefore = devices.Sum(c => c.Disconnects);
                var phase = Row(system, !quota ? "" : withQuotas ? "tenant quotas" : p == 0 ? "no quotas" : "no quotas again");
                row ??= phase;
                var cpu = Cpu(system);
                cpu.Start();
                Volatile.Write(ref ledger, new DeliveryLedger(count, perReceiver: false));
                await RunRateAsync(system, devices, users, ledger, Options.Rate, Options.Duration, phase, () => ++nextN, cancellationToken);
                phase.CpuPercent = cpu.Stop();
                phase.Metrics["disconnects"] = devices.Sum(c => c.Disconnects) - disconnectsBefore;
                phase.Notes.Add($"transport {TransportNote(system)}");
                MainTable.Rows.Add(phase);
            }

            if (quota)
            {
                // The ramp (when asked for) runs without them, as without --quota.
                await ((AppMsgSystem)system).SetTenantQuotasAsync(false, cancellationToken);
            }

            if (Options.Ramp)
            {
                double? best = null;
                double? highest = null;
                foreach (var rate in Options.RampRates)
                {
                    CurrentVariant = $"ramp {rate}/s";
                    var step = Row(system, $"{rate:N0}/s");
                    Volatile.Write(ref ledger, new DeliveryLedger(count, perReceiver: false));
                    var stepCpu = Cpu(system);
                    stepCpu.Start();
                    var sustained = await RunRateAsync(system, devices, users, ledger, rate, TimeSpan.FromSeconds(Options.StepSeconds), step, () => ++nextN, cancellationToken);
                    step.CpuPercent = stepCpu.Stop();
                    var overloaded = step["achieved_rate"] < 0.95 * rate || step["backlog_skipped"] > 0 || (step["p99_ms"] ?? double.MaxValue) > OverloadedP99Ms;
                    if (step.IsOk && !sustained)
                    {
                        step.Status = overloaded ? "overloaded" : "not sustained";
                    }
                    else if (overloaded)
                    {
                        step.Notes.Add("overloaded");
                    }

                    rampTable.Rows.Add(step);
                    if (overloaded)
                    {
                        break;
                    }

                    highest = rate;
                    if (sustained)
                    {
                        best = rate;
                    }
                }

                CurrentVariant = "";
                row!.Metrics["max_sustained_rate"] = best;
                row.Metrics["max_delivered_rate"] = highest;
                if (best is null)
                {
                    row.Notes.Add($"no ramp step met the sustained criteria (the first is {Options.RampRates[0]}/s)");
                }

                if (highest == Options.RampRates[^1])
                {
                    row.Notes.Add("the last ramp step was delivered: the highest rate is above it");
                }
            }
        }
        finally
        {
            await DisconnectAllAsync(connections);
        }
    }

    /// <summary>Sends at <paramref name="rate"/> for <paramref name="duration"/>, waits for the stragglers, fills <paramref name="row"/>; true when sustained.</summary>
    private async Task<bool> RunRateAsync(
        IBenchSystem system, IBenchConnection[] devices, BenchUser[] users, DeliveryLedger ledger, int rate, TimeSpan duration, SystemResult row,
        Func<long> nextNumber, CancellationToken cancellationToken)
    {
        var random = new Random(rate);
        var count = devices.Length;
        var total = (long)(rate * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / (double)rate;
        var backlogLimit = Math.Max(2 * rate, 1000);
        var accepted = new BitSet();
        var numbers = new List<long>((int)Math.Min(total, 10_000_000));
        long inFlight = 0, acknowledged = 0, errors = 0, skipped = 0;
        var sends = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        long scheduled = 0;

        async Task SendOneAsync(int from, int to, long n, long due)
        {
            try
            {
                if (await devices[from].SendAsync(users[to], BenchPayload.Create(n, due), cancellationToken))
                {
                    accepted.TryAdd(n);
                    Interlocked.Increment(ref acknowledged);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref errors);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        await using (new ProgressTicker($"{system.Name}: {rate:N0}/s", () =>
            $"scheduled {Volatile.Read(ref scheduled):N0}, accepted {Volatile.Read(ref acknowledged):N0}, delivered {ledger.Delivered:N0}, in flight {Volatile.Read(ref inFlight):N0}, p99 {TableRenderer.Format(ledger.Latency.PercentileMs(99), "0.0")} ms"))
        {
            while (scheduled < total)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - started) / interval) + 1);
                for (; scheduled < due; scheduled++)
                {
                    var dueAt = started + (long)(scheduled * interval);
                    if (Volatile.Read(ref inFlight) >= backlogLimit)
                    {
                        skipped++;
                        continue;
                    }

                    var from = random.Next(count);
                    var to = (from + 1 + random.Next(count - 1)) % count;
                    var n = nextNumber();
                    numbers.Add(n);
                    Interlocked.Increment(ref inFlight);
                    sends.Add(SendOneAsync(from, to, n, dueAt));
                }

                await Task.Delay(1, cancellationToken);
            }

            var sendsDone = Task.WhenAll(sends);
            await Task.WhenAny(sendsDone, Task.Delay(TimeSpan.FromSeconds(60), cancellationToken));
            var expected = Volatile.Read(ref acknowledged);
            await WaitAsync(() => ledger.Delivered >= expected, () => ledger.Delivered, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), cancellationToken);
        }

        var seconds = duration.TotalSeconds;
        var delivered = ledger.Delivered;
        var latency = (P50: ledger.Latency.PercentileMs(50), P99: ledger.Latency.PercentileMs(99), P999: ledger.Latency.PercentileMs(99.9), Max: ledger.Latency.MaxMs);
        var missedLive = numbers.LongCount(n => accepted.Contains(n) && !ledger.Received(0, n));
        var lost = missedLive;
        if (missedLive > 0 && await RecoverAllAsync(system, devices, ledger, cancellationToken))
        {
            lost = numbers.LongCount(n => accepted.Contains(n) && !ledger.Received(0, n));
        }

        row.Metrics["target_rate"] = rate;
        row.Metrics["scheduled"] = total;
        row.Metrics["accepted"] = acknowledged;
        row.Metrics["delivered"] = delivered;
        row.Metrics["achieved_rate"] = Math.Round(delivered / seconds);
        row.Metrics["p50_ms"] = latency.P50;
        row.Metrics["p99_ms"] = latency.P99;
        row.Metrics["p999_ms"] = latency.P999;
        row.Metrics["max_ms"] = latency.Max;
        row.Metrics["missed_live"] = missedLive;
        row.Metrics["lost"] = lost;
        row.Metrics["duplicates"] = ledger.Duplicates;
        row.Metrics["send_errors"] = errors;
        row.Metrics["backlog_skipped"] = skipped;
        if (lost > 0)
        {
            row.Status = $"LOST {lost:N0}";
        }
        else if (missedLive > 0)
        {
            row.Status = $"MISSED LIVE {missedLive:N0} (SYNC recovered)";
        }

        return missedLive == 0 && delivered >= 0.95 * total && (ledger.Latency.PercentileMs(99) ?? double.MaxValue) < SustainedP99Ms;
    }
}
