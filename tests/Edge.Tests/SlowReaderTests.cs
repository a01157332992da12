using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AppMsg.Edge.Devices;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>A system whose connections are closed only when their send queue overflows (a stall alone never closes one).</summary>
public sealed class SlowReaderSystem : RunningSystem
{
    public const int SendQueueLimit = 512;

    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => settings with
    {
        Devices = settings.Devices with { SendQueueLimit = SendQueueLimit, StallLimit = TimeSpan.FromMinutes(10) },
    };
}

/// <summary>
/// A device that stops reading must cost the others nothing: its frames wait in its own bounded queue, the fan-out
/// goes on without it, it is closed when the queue overflows, and it gets everything on its next connection.
/// </summary>
public sealed class SlowReaderTests(SlowReaderSystem system) : IClassFixture<SlowReaderSystem>
{
    private const int Members = 1_000;
    private static readonly string Filler = new('x', 30_000);

    [Fact]
    public async Task A_device_that_never_reads_neither_slows_a_1000_member_fan_out_nor_loses_a_message()
    {
        var qun = await CrowdedQun.CreateAsync(system, "slow", Members);
        var qunId = qun.QunId;
        var slow = qun.Members[0];
        var readers = new ConcurrentBag<RawDevice>();
        RawDevice? stalled = null;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, Members - 1), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                readers.Add(await qun.ConnectAsync(system, i)));
            stalled = await qun.ConnectAsync(system, 0, receiveBufferBytes: 4096);
            await system.WaitUntilLiveAsync(slow.Id);
            var slowConnection = system.EdgeServices<DeviceConnections>().OfUser(slow.Id).Single();

            // Fill the socket of the device that never reads until the edge's write to it waits for the peer.
            var sent = 0;
            while (!(slowConnection.Channel.PendingWriteAge(Environment.TickCount64) > TimeSpan.Zero && slowConnection.Channel.Queued > 0))
            {
                Assert.True(sent < 400, "the socket took 12 MB without a stalled write");
                await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync($"{slow.Id}@user", Filler)));
                sent += 4;
            }

            var watch = Stopwatch.StartNew();
            (await system.Api.PostAsync("/v1/messages", new { to = new[] { $"{qunId}@qun" }, type = "text", content = new { text = "all hands" } }, system.AdminKey))
                .Expect(HttpStatusCode.OK);
            var received = 0;
            await Parallel.ForEachAsync(readers, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (device, _) =>
            {
                var push = await device.ReceiveAsync(TimeSpan.FromSeconds(30));
                if (push.Type == MessageType.Push && push.Envelope().GetProperty("timeline").GetString() == $"{qunId}@qun")
                {
                    Interlocked.Increment(ref received);
                }
            });
            watch.Stop();
            Assert.Equal(Members - 1, received);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the fan-out took {watch.Elapsed} beside a stalled reader");
            Assert.False(slowConnection.IsClosing, "the stalled reader was closed before its queue overflowed");

            // More than its queue holds: the edge closes it, counts it, and nobody else notices.
            var closedBefore = system.EdgeServices<DeviceConnections>().ClosedForSlownessCount;
            for (var i = 0; i < SlowReaderSystem.SendQueueLimit; i += 16)
            {
                await Task.WhenAll(Enumerable.Range(i, 16).Select(n => SendAsync($"{slow.Id}@user", $"small {n}")));
            }

            await Eventually.ReturnsAsync(
                () => Task.FromResult(system.EdgeServices<DeviceConnections>().OfUser(slow.Id).Count), count => count == 0, TimeSpan.FromSeconds(20), "the overflowing connection's close");
            Assert.Equal(closedBefore + 1, system.EdgeServices<DeviceConnections>().ClosedForSlownessCount);

            // Its next connection replays everything it was sent: the filler, the qun message and the overflow.
            await stalled.DisposeAsync();
            stalled = null;
            await using var back = await qun.ConnectAsync(system, 0);
            var replayed = new HashSet<string>();
            while (replayed.Count < sent + 1 + SlowReaderSystem.SendQueueLimit)
            {
                var push = await back.ReceiveAsync(TimeSpan.FromSeconds(20));
                if (push.Type == MessageType.Push)
                {
                    var envelope = push.Envelope();
                    replayed.Add($"{envelope.GetProperty("timeline").GetString()}/{envelope.GetProperty("seq").GetInt64()}");
                    await back.AcknowledgeAsync(push);
                }
            }

            Assert.Contains(replayed, key => key.StartsWith($"{qunId}@qun/", StringComparison.Ordinal));
        }
        finally
        {
            if (stalled is not null)
            {
                await stalled.DisposeAsync();
            }

            foreach (var device in readers)
            {
                await device.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_thousand_devices_dropped_at_once_mid_fan_out_cost_the_others_nothing_and_lose_nothing()
    {
        const int Dropped = 1_000;
        const int Staying = 100;
        const int Messages = 30;
        var qun = await CrowdedQun.CreateAsync(system, "drop", Dropped + Staying);
        var timeline = qun.Timeline;
        var connections = system.EdgeServices<DeviceConnections>();
        var openBefore = connections.OpenCount;

        var devices = new RawDevice[Dropped + Staying];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, devices.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                devices[i] = await qun.ConnectAsync(system, i));
            await SendAsync(timeline, "warm-up");
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (device, _) => await ReceiveSeqsAsync(device, timeline, 1));

            // The publisher goes on while a thousand of the audience vanish with a reset, a third of the way in.
            var publishing = Task.Run(async () =>
            {
                for (var n = 0; n < Messages; n++)
                {
                    if (n == Messages / 3)
                    {
                        foreach (var device in devices.Take(Dropped))
                        {
                            device.Abort();
                        }
                    }

                    await SendAsync(timeline, $"message {n}");
                }
            });
            var stayed = await Task.WhenAll(devices.Skip(Dropped).Select(device => ReceiveSeqsAsync(device, timeline, Messages)));
            await publishing;

            foreach (var seqs in stayed)
            {
                Assert.Equal(Enumerable.Range(2, Messages).Select(s => (long)s), seqs);
            }

            await Eventually.ReturnsAsync(() => Task.FromResult(connections.OpenCount), open => open == openBefore + Staying, TimeSpan.FromSeconds(30),
                "the dropped connections' end");

            // Any of the dropped gets, on its next connection, everything it had not acknowledged, in order.
            foreach (var i in new[] { 0, Dropped / 2, Dropped - 1 })
            {
                await using var back = await qun.ConnectAsync(system, i);
                Assert.Equal(Enumerable.Range(2, Messages).Select(s => (long)s), await ReceiveSeqsAsync(back, timeline, Messages));
            }
        }
        finally
        {
            foreach (var device in devices.Where(d => d is not null))
            {
                await device.DisposeAsync();
            }
        }
    }

    /// <summary>Receives and acknowledges PUSHes of <paramref name="timeline"/> until <paramref name="count"/> came, and returns their seqs.</summary>
    private static async Task<List<long>> ReceiveSeqsAsync(RawDevice device, string timeline, int count)
    {
        var seqs = new List<long>();
        while (seqs.Count < count)
        {
            var push = await device.ReceiveAsync(TimeSpan.FromSeconds(30));
            if (push.Type != MessageType.Push)
            {
                continue;
            }

            await device.AcknowledgeAsync(push);
            var envelope = push.Envelope();
            if (envelope.GetProperty("timeline").GetString() == timeline)
            {
                seqs.Add(envelope.GetProperty("seq").GetInt64());
            }
        }

        return seqs;
    }

    private async Task SendAsync(string to, string text) =>
        (await system.Api.PostAsync("/v1/messages", new { to = new[] { to }, type = "text", content = new { text } }, system.AdminKey)).Expect(HttpStatusCode.OK);
}
