namespace AppMsg.Backends;

/// <summary>Sends a CALLBACK and waits for its end, from any Orleans client (an edge, a backend).</summary>
public static class CallbackClient
{
    /// <summary>How long past the callback's own timeout the caller waits for the grain's word before it gives up by itself.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends <paramref name="request"/> and waits (up to its timeout) for the terminal's CBRESP. The wait is local:
    /// the grain reports the end to an observer of this client, so no grain call outlives Orleans' response timeout.
    /// </summary>
    /// <returns>Answered (code and answer), timeout, offline, or stored.</returns>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for a bad request.</exception>
    public static async Task<CallbackResult> CallAsync(this IGrainFactory grains, CallbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(request);
        var callbackId = Ids.New();
        var waiter = new Waiter();
        var reference = grains.CreateObjectReference<ICallbackObserver>(waiter);
        try
        {
            var immediate = await grains.GetGrain<ICallbackGrain>(callbackId).StartAsync(request, reference);
            if (immediate is not null)
            {
                return immediate;
            }

            try
            {
                return await waiter.Ended.WaitAsync(TimeSpan.FromMilliseconds(request.TimeoutMs) + Grace, cancellationToken);
            }
            catch (TimeoutException)
            {
                return new CallbackResult(callbackId, CallbackOutcome.Timeout);
            }
        }
        finally
        {
            grains.DeleteObjectReference<ICallbackObserver>(reference);
            GC.KeepAlive(waiter);
        }
    }

    private sealed class Waiter : ICallbackObserver
    {
        private readonly TaskCompletionSource<CallbackResult> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<CallbackResult> Ended => ended.Task;

        public Task OnCallbackEndedAsync(CallbackResult result)
        {
            ended.TrySetResult(result);
            return Task.CompletedTask;
        }
    }
}
