using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

public sealed class PendingRequestsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Responses_complete_the_request_with_their_TID_in_any_order()
    {
        var pending = new PendingRequests();
        var tids = new TidCounter(uint.MaxValue - 1);
        var requests = Enumerable.Range(0, 4).Select(_ => tids.Next()).Select(tid => (tid, request: pending.Add(tid, MessageType.Pong))).ToList();
        Assert.Equal([uint.MaxValue - 1, uint.MaxValue, 0u, 1u], requests.Select(r => r.tid));
        var waits = requests.Select(r => pending.WaitAsync(r.tid, r.request, Timeout, CancellationToken.None)).ToList();

        foreach (var (tid, _) in Enumerable.Reverse(requests))
        {
            Assert.True(pending.TryComplete(tid, MessageType.Pong, (byte)(tid % 7), default));
        }

        var responses = await Task.WhenAll(waits);
        Assert.Equal(requests.Select(r => (byte)(r.tid % 7)), responses.Select(r => r.Code));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public async Task A_response_of_another_type_or_an_unknown_TID_is_ignored()
    {
        var pending = new PendingRequests();
        var request = pending.Add(7, MessageType.ImResp);
        var wait = pending.WaitAsync(7, request, Timeout, CancellationToken.None);

        Assert.False(pending.TryComplete(7, MessageType.Pong, 0, default));
        Assert.False(pending.TryComplete(8, MessageType.ImResp, 0, default));
        Assert.False(wait.IsCompleted);

        Assert.True(pending.TryComplete(7, MessageType.ImResp, 3, "{\"id\":\"m1\"}"u8));
        var response = await wait;
        Assert.Equal(3, response.Code);
        Assert.Equal("{\"id\":\"m1\"}"u8.ToArray(), response.Json.ToArray());
    }

    [Fact]
    public async Task The_JSON_is_copied_out_of_the_receive_buffer()
    {
        var pending = new PendingRequests();
        var request = pending.Add(1, MessageType.RegResp);
        var buffer = "{\"a\":1}"u8.ToArray();
        pending.TryComplete(1, MessageType.RegResp, 0, buffer);
        buffer.AsSpan().Clear();
        var response = await pending.WaitAsync(1, request, Timeout, CancellationToken.None);
        Assert.Equal("{\"a\":1}"u8.ToArray(), response.Json.ToArray());
    }

    [Fact]
    public async Task A_request_without_response_times_out_and_a_late_response_is_ignored()
    {
        var pending = new PendingRequests();
        var request = pending.Add(42, MessageType.Pong);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => pending.WaitAsync(42, request, TimeSpan.FromMilliseconds(50), CancellationToken.None));
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, pending.Count);
        Assert.False(pending.TryComplete(42, MessageType.Pong, 0, default));
    }

    [Fact]
    public async Task Cancelling_the_wait_forgets_the_request()
    {
        var pending = new PendingRequests();
        var request = pending.Add(5, MessageType.Pong);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(5, request, Timeout, cancel.Token));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public async Task The_end_of_the_connection_fails_every_waiting_request()
    {
        var pending = new PendingRequests();
        var first = pending.Add(1, MessageType.Pong);
        var second = pending.Add(2, MessageType.SyncResp);
        var waits = new[] { pending.WaitAsync(1, first, Timeout, CancellationToken.None), pending.WaitAsync(2, second, Timeout, CancellationToken.None) };

        pending.FailAll(new IOException("gone"));

        foreach (var wait in waits)
        {
            Assert.Equal("gone", (await Assert.ThrowsAsync<IOException>(() => wait)).Message);
        }

        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public void A_TID_cannot_wait_twice()
    {
        var pending = new PendingRequests();
        pending.Add(9, MessageType.Pong);
        Assert.Throws<InvalidOperationException>(() => pending.Add(9, MessageType.Pong));
    }
}
