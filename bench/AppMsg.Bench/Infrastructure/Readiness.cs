namespace AppMsg.Bench.Infrastructure;

/// <summary>Waits for an edge's <c>/readyz</c>, giving up early when one of its processes has exited.</summary>
public static class Readiness
{
    /// <param name="exited">Says why waiting is pointless (a process exited), or null to go on.</param>
    public static async Task WaitAsync(Uri baseAddress, TimeSpan limit, TimeSpan poll, Func<string?> exited, Func<string> describe, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (exited() is { } reason)
            {
                throw new InvalidOperationException(reason);
            }

            try
            {
                using var ready = await probe.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(poll, cancellationToken);
        }

        throw new TimeoutException($"{describe()} did not become ready in {limit.TotalSeconds:0} s");
    }
}
