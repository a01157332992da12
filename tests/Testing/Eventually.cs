namespace AppMsg.Testing;

/// <summary>Polls a condition until it holds or time runs out.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        T? value = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                value = await probe();
                if (condition(value))
                {
                    return value;
                }
            }
            catch (Exception e)
            {
                last = e;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0}s; last value {value}, last error {last?.Message}", last);
    }
}
