using System.Diagnostics;
using System.Net;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>Edges that close a stalled connection after a short time, so a burst test sees it happen.</summary>
public sealed class BurstSystem : RunningSystem
{
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(3);

    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => WithStallLimit(settings);

    public static EdgeSettings WithStallLimit(EdgeSettings settings) => settings with { Devices = settings.Devices with { StallLimit = StallLimit } };
}

/// <summary>
/// A burst to a qun whose members sit on two edges, beside readers that are slow and readers that stopped: every reader
/// that reads gets every message once, in seq order, without waiting for the others; the stopped ones lose nothing
/// (issue 12: "nothing lost, no order broken").
/// </summary>
public sealed class BurstTests(BurstSystem system) : IClassFixture<BurstSystem>
{
    private const int Members = 200;
    private const int Messages = 200;
    private static readonly string Text = new('b', 4_000);

    [Fact]
    public async Task A_burst_over_two_edges_reaches_every_reader_in_order_beside_slow_and_stalled_readers()
    {
        var qun = await CrowdedQun.CreateAsync(system, "burst", Members);
        var edgeB = BurstSystem.WithStallLimit(system.Deployment.EdgeSettings("edge-burst-b"));
        var edgeBApp = await system.StartAnotherEdgeAsync(edgeB);
        int PortOf(int member) => member < Members / 2 ? system.TcpPort : edgeB.TcpPort;
        int[] slow = [1, Members / 2 + 1];
        int[] stalled = [2, Members / 2 + 2];

        var devices = new RawDevice[Members];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Members), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                devices[i] = await qun.ConnectAsync(system, i, receiveBufferBytes: stalled.Contains(i) ? 4096 : 0, port: PortOf(i)));
            await system.WaitUntilLiveAsync(qun.Members[0].Id);
            await system.WaitUntilLiveAsync(qun.Members[Members - 1].Id, edgeBApp.Services);

            var watch = Stopwatch.StartNew();
            var publishing = Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
                (await system.Api.PostAsync("/v1/messages", new { to = new[] { qun.Timeline }, type = "text", content = new { text = Text } }, system.AdminKey))
                    .Expect(HttpStatusCode.OK));
            var readers = Enumerable.Range(0, Members).Where(i => !stalled.Contains(i))
                .Select(i => ReceiveSeqsAsync(devices[i], qun.Timeline, Messages, slow.Contains(i) ? TimeSpan.FromMilliseconds(10) : TimeSpan.Zero,
                    $"member {i} on edge {(PortOf(i) == system.TcpPort ? "A" : "B")}{(slow.Contains(i) ? ", slow" : "")}"))
                .ToArray();
            await publishing;
            var received = await Task.WhenAll(readers);
            watch.Stop();

            var expected = Enumerable.Range(1, Messages).Select(s => (long)s).ToList();
            foreach (var seqs in received)
            {
                Assert.Equal(expected, seqs);
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the burst took {watch.Elapsed}");

            // The stalled readers acknowledged nothing: on their next connection (after the edge closed them, or now)
            // they get all of it, in order.
            foreach (var i in stalled)
            {
                devices[i].Abort();
                await devices[i].DisposeAsync();
                devices[i] = await qun.ConnectAsync(system, i, port: PortOf(i));
                Assert.Equal(expected, await ReceiveSeqsAsync(devices[i], qun.Timeline, Messages, TimeSpan.Zero, $"stalled member {i} reconnected"));
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

    /// <summary>Receives and acknowledges PUSHes of <paramref name="timeline"/> until <paramref name="count"/> came, pausing after each; their seqs.</summary>
    private static async Task<List<long>> ReceiveSeqsAsync(RawDevice device, string timeline, int count, TimeSpan pause, string who)
    {
        var seqs = new List<long>(count);
        while (seqs.Count < count)
        {
            ReceivedFrame push;
            try
            {
                push = await device.ReceiveAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{who}: nothing more within 30 s after {seqs.Count} of {count} (last seq {(seqs.Count > 0 ? seqs[^1] : 0)}): {e.GetType().Name}");
            }

            if (push.Type != MessageType.Push)
            {
                continue;
            }

            await device.AcknowledgeAsync(push);
            if (push.Envelope().GetProperty("timeline").GetString() == timeline)
            {
                seqs.Add(push.Envelope().GetProperty("seq").GetInt64());
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }

        return seqs;
    }
}
