using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using AppMsg.Edge.Devices;
using AppMsg.Protocol;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>
/// A device WebSocket's write loop over a real TLS connection on loopback: a burst of frames arrives whole and in order,
/// one WebSocket message per frame, while the TLS stream below is written far fewer times than there are frames (each
/// write of the TLS stream is a record, an encryption and a send).
/// </summary>
public sealed class WebSocketBatchingTests
{
    private const int Frames = 500;

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_burst_of_frames_over_wss_arrives_whole_and_in_order_and_coalesced_it_takes_far_fewer_TLS_writes(bool json, bool coalesce)
    {
        await using var link = await TlsLoopback.OpenAsync();
        var batch = new WebSocketBatchStream(link.Server);
        using var server = WebSocket.CreateFromStream(batch, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        using var client = WebSocket.CreateFromStream(link.Client, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        // Without the stream the sender writes each message on its own: the control that shows the count can tell.
        var sender = new WebSocketSender(server, coalesce ? batch : null);
        DeviceChannel channel = json ? new WebSocketJsonChannel(sender, galopushFraming: false) : new WebSocketBinaryChannel(sender);
        var closes = 0;
        channel.Bound(1_024, () => Interlocked.Increment(ref closes));
        var writesBefore = link.ServerWrites;

        for (uint tid = 1; tid <= Frames; tid++)
        {
            channel.SendPong(tid, PongCode.Ok);
        }

        var tids = new List<uint>();
        var message = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (tids.Count < Frames)
        {
            var received = await client.ReceiveAsync(message, timeout.Token);
            Assert.True(received.EndOfMessage, "a frame came split over messages");
            Assert.Equal(json ? WebSocketMessageType.Text : WebSocketMessageType.Binary, received.MessageType);
            tids.Add(json ? TidOfJson(message.AsSpan(0, received.Count)) : TidOfBinary(message.AsMemory(0, received.Count)));
        }

        await channel.WhenEmptyAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Enumerable.Range(1, Frames).Select(t => (uint)t), tids);
        Assert.Equal(0, closes);
        var writes = link.ServerWrites - writesBefore;
        if (coalesce)
        {
            Assert.True(writes <= Frames / 5, $"{Frames} frames took {writes} TLS writes: the batches were not coalesced");
        }
        else
        {
            Assert.True(writes >= Frames, $"{Frames} frames sent one by one took only {writes} TLS writes");
        }

        Assert.False(batch.Holding);
    }

    [Fact]
    public async Task A_close_after_a_batch_cut_short_is_not_held()
    {
        await using var link = await TlsLoopback.OpenAsync();
        var batch = new WebSocketBatchStream(link.Server);
        using var server = WebSocket.CreateFromStream(batch, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        using var client = WebSocket.CreateFromStream(link.Client, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        var sender = new WebSocketSender(server, batch);

        await sender.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, moreFollow: true);
        sender.EndBatch();
        await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default);

        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(3, first.Count);
        var close = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
    }

    private static uint TidOfBinary(ReadOnlyMemory<byte> message)
    {
        var sequence = new ReadOnlySequence<byte>(message);
        Assert.Equal(FrameReadStatus.Frame, FrameReader.TryReadFrame(ref sequence, 4096, out var frame, out _));
        Assert.True(sequence.IsEmpty, "a message held more than one frame");
        Assert.Equal(MessageType.Pong, frame.Type);
        return frame.Tid;
    }

    private static uint TidOfJson(ReadOnlySpan<byte> message)
    {
        using var document = JsonDocument.Parse(message.ToArray());
        return document.RootElement.GetProperty("tid").GetUInt32();
    }
}
