namespace AppMsg.Client.Tests;

/// <summary>Reading a client's events in tests, with a deadline.</summary>
internal static class EventReading
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>The next event, which must be a <typeparamref name="T"/>.</summary>
    public static async Task<T> NextAsync<T>(this DeviceClient client)
        where T : DeviceEvent
    {
        var next = await client.Events.ReadAsync().AsTask().WaitAsync(Patience);
        return Assert.IsType<T>(next);
    }

    /// <summary>Whether no event comes within <paramref name="wait"/>.</summary>
    public static async Task<bool> IsQuietForAsync(this DeviceClient client, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return !await client.Events.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
