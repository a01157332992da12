using System.Collections.Concurrent;
using AppMsg.Protocol;

namespace AppMsg.Client.Internal;

/// <summary>
/// The requests of one connection that await a response, by TID. A response completes the request with its TID
/// when the type fits; a response nobody waits for (late, after the timeout) or of another type is ignored.
/// </summary>
internal sealed class PendingRequests
{
    private readonly ConcurrentDictionary<uint, PendingRequest> requests = new();

    /// <summary>How many requests are waiting.</summary>
    public int Count => requests.Count;

    /// <summary>Registers a request before it is sent, so that its response cannot arrive first.</summary>
    /// <exception cref="InvalidOperationException">A request with the same TID is still waiting.</exception>
    public PendingRequest Add(uint tid, MessageType responseType)
    {
        var request = new PendingRequest(responseType);
        if (!requests.TryAdd(tid, request))
        {
            throw new InvalidOperationException($"A request with TID {tid} is still waiting for its response.");
        }

        return request;
    }

    /// <summary>Completes the request with <paramref name="tid"/> when one waits for a response of <paramref name="type"/>.</summary>
    /// <param name="tid">The response's TID.</param>
    /// <param name="type">The response's type.</param>
    /// <param name="code">The response's code.</param>
    /// <param name="json">The JSON after the code, copied only when a request takes it.</param>
    /// <returns>Whether a request took the response.</returns>
    public bool TryComplete(uint tid, MessageType type, byte code, ReadOnlySpan<byte> json)
    {
        if (!requests.TryGetValue(tid, out var request)
            || request.ResponseType != type
            || !requests.TryRemove(new KeyValuePair<uint, PendingRequest>(tid, request)))
        {
            return false;
        }

        var copy = json.IsEmpty ? ReadOnlyMemory<byte>.Empty : json.ToArray();
        return request.TrySetResult(new ResponseMessage(code, copy));
    }

    /// <summary>Waits for the response of a request added with <see cref="Add"/>, and forgets the request however the wait ends.</summary>
    /// <exception cref="TimeoutException">No response within <paramref name="timeout"/>.</exception>
    public async Task<ResponseMessage> WaitAsync(uint tid, PendingRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await request.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {request.ResponseType} for TID {tid} within {timeout.TotalSeconds:0.###} s.");
        }
        finally
        {
            requests.TryRemove(new KeyValuePair<uint, PendingRequest>(tid, request));
        }
    }

    /// <summary>Forgets a request whose send failed.</summary>
    public void Remove(uint tid, PendingRequest request) =>
        requests.TryRemove(new KeyValuePair<uint, PendingRequest>(tid, request));

    /// <summary>Fails every waiting request (the connection ended).</summary>
    public void FailAll(Exception error)
    {
        foreach (var (tid, request) in requests)
        {
            if (requests.TryRemove(new KeyValuePair<uint, PendingRequest>(tid, request)))
            {
                request.TrySetException(error);
            }
        }
    }
}
