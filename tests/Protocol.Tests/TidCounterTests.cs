namespace AppMsg.Protocol.Tests;

public class TidCounterTests
{
    [Fact]
    public void Counts_up_from_the_first_value_and_wraps()
    {
        var counter = new TidCounter(0xFFFFFFFE);
        Assert.Equal(0xFFFFFFFEu, counter.Next());
        Assert.Equal(0xFFFFFFFFu, counter.Next());
        Assert.Equal(0u, counter.Next());
        Assert.Equal(1u, counter.Next());
    }

    [Fact]
    public void Concurrent_callers_get_distinct_values()
    {
        var counter = new TidCounter();
        var values = new System.Collections.Concurrent.ConcurrentBag<uint>();
        Parallel.For(0, 10_000, _ => values.Add(counter.Next()));
        Assert.Equal(10_000, values.Distinct().Count());
    }
}
