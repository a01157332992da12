using System.Buffers;
using System.IO.Pipelines;
using AppMsg.Edge.Devices;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>
/// The per-connection send queue over a real pipe whose reader the test holds back: frames queued while a write waits
/// go out together and in order, a full queue closes the connection once, and waits are bounded.
/// </summary>
public sealed class DeviceChannelQueueTests
{
    // The writer's flush waits as soon as one frame is unread, as it does on a socket whose peer stopped reading.
    private static Pipe TightPipe() => new(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1, useSynchronizationContext: false));

    [Fact]
    public async Task Frames_queued_behind_a_stalled_write_all_go_out_in_order_once_the_peer_reads()
    {
        var pipe = TightPipe();
        var channel = new PipeDeviceChannel(pipe.Writer);
        var closes = 0;
        channel.Bound(1_024, () => Interlocked.Increment(ref closes));

        for (uint tid = 1; tid <= 500; tid++)
        {
            channel.SendPong(tid, PongCode.Ok);
        }

        await StalledAsync(channel);
        var emptied = channel.WhenEmptyAsync();
        Assert.False(emptied.IsCompleted);

        var tids = await ReadTidsAsync(pipe.Reader, 500);
        Assert.Equal(Enumerable.Range(1, 500).Select(t => (uint)t), tids);
        await emptied.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, closes);
        Assert.Equal(TimeSpan.Zero, channel.PendingWriteAge(Environment.TickCount64));
    }

    [Fact]
    public async Task A_queue_that_overflows_closes_the_connection_once_and_takes_nothing_more()
    {
        var pipe = TightPipe();
        var channel = new PipeDeviceChannel(pipe.Writer);
        var closes = 0;
        channel.Bound(16, () => Interlocked.Increment(ref closes));

        channel.SendPong(1, PongCode.Ok);
        await StalledAsync(channel);
        for (uint tid = 2; tid <= 100; tid++)
        {
            channel.SendPong(tid, PongCode.Ok);
        }

        Assert.Equal(1, closes);
        Assert.True(channel.Overflowed);
        Assert.Equal(16, channel.Queued);
    }

    [Fact]
    public async Task Completing_waits_for_the_last_frames_but_never_longer_than_asked()
    {
        var pipe = TightPipe();
        var channel = new PipeDeviceChannel(pipe.Writer);
        channel.Bound(1_024, () => { });
        channel.SendPong(1, PongCode.Ok);
        channel.SendKick(2, KickReason.AnotherLogin);

        var started = Environment.TickCount64;
        await channel.CompleteAsync(TimeSpan.FromMilliseconds(300));
        Assert.InRange(Environment.TickCount64 - started, 250, 5_000);
        channel.SendPong(3, PongCode.Ok);

        Assert.Equal([1u, 2u], await ReadTidsAsync(pipe.Reader, 2));
        await Task.Delay(100);
        Assert.False(pipe.Reader.TryRead(out var rest) && !rest.Buffer.IsEmpty, "a frame sent after completion went out");
    }

    [Fact]
    public async Task A_write_to_a_closed_peer_closes_the_connection_and_drops_the_rest()
    {
        var pipe = TightPipe();
        var channel = new PipeDeviceChannel(pipe.Writer);
        var closed = new TaskCompletionSource();
        channel.Bound(1_024, () => closed.TrySetResult());
        await pipe.Reader.CompleteAsync();

        channel.SendPong(1, PongCode.Ok);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        channel.SendPong(2, PongCode.Ok);
        await channel.WhenEmptyAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, channel.Queued);
    }

    private static Task StalledAsync(DeviceChannel channel) => Eventually.ReturnsAsync(
        () => Task.FromResult(channel.PendingWriteAge(Environment.TickCount64 + 1)), age => age > TimeSpan.Zero, TimeSpan.FromSeconds(5), "a stalled write");

    private static async Task<List<uint>> ReadTidsAsync(PipeReader reader, int count)
    {
        var tids = new List<uint>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (tids.Count < count)
        {
            var result = await reader.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            while (FrameReader.TryReadFrame(ref buffer, 1_024, out var frame, out _) == FrameReadStatus.Frame)
            {
                tids.Add(frame.Tid);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        return tids;
    }
}
