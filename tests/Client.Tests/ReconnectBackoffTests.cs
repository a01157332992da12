using AppMsg.Client.Internal;
using AppMsg.Protocol;

namespace AppMsg.Client.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Ceilings_double_from_the_initial_delay_up_to_the_maximum()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(1));
        double[] expected = [0.5, 1, 2, 4, 8, 16, 30, 30, 30];
        for (var attempt = 0; attempt < expected.Length; attempt++)
        {
            Assert.Equal(TimeSpan.FromSeconds(expected[attempt]), backoff.Ceiling(attempt));
        }

        Assert.Equal(Max, backoff.Ceiling(1_000));
        Assert.Equal(Max, backoff.Ceiling(int.MaxValue));
    }

    [Fact]
    public void Every_delay_lies_between_zero_and_its_ceiling()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(2));
        for (var i = 0; i < 10_000; i++)
        {
            var ceiling = backoff.Ceiling(backoff.Attempt);
            var delay = backoff.NextDelay();
            Assert.InRange(delay, TimeSpan.Zero, ceiling);
            Assert.True(delay < ceiling || ceiling == TimeSpan.Zero);
            if (i % 12 == 11)
            {
                backoff.Reset();
            }
        }
    }

    [Fact]
    public void Delays_are_spread_over_the_whole_range_full_jitter()
    {
        var samples = new List<double>();
        var random = new Random(3);
        for (var i = 0; i < 4_000; i++)
        {
            var backoff = new ReconnectBackoff(Initial, Max, random);
            for (var attempt = 0; attempt < 4; attempt++)
            {
                backoff.NextDelay();
            }

            // Attempt 4: ceiling 8 s.
            samples.Add(backoff.NextDelay().TotalSeconds / 8);
        }

        Assert.InRange(samples.Average(), 0.45, 0.55);
        Assert.True(samples.Min() < 0.02, "some delays are near zero");
        Assert.True(samples.Max() > 0.98, "some delays are near the ceiling");
        var buckets = samples.GroupBy(s => (int)(s * 10)).ToDictionary(g => g.Key, g => g.Count());
        for (var bucket = 0; bucket < 10; bucket++)
        {
            Assert.InRange(buckets.GetValueOrDefault(bucket), 300, 500);
        }
    }

    [Fact]
    public void Two_clients_do_not_retry_in_lockstep()
    {
        var first = new ReconnectBackoff(Initial, Max, new Random(10));
        var second = new ReconnectBackoff(Initial, Max, new Random(11));
        var same = Enumerable.Range(0, 8).Count(_ => first.NextDelay() == second.NextDelay());
        Assert.Equal(0, same);
    }

    [Fact]
    public void Reset_starts_over_from_the_initial_ceiling()
    {
        var backoff = new ReconnectBackoff(Initial, Max, new Random(4));
        for (var i = 0; i < 7; i++)
        {
            backoff.NextDelay();
        }

        Assert.Equal(7, backoff.Attempt);
        backoff.Reset();
        Assert.Equal(0, backoff.Attempt);
        Assert.InRange(backoff.NextDelay(), TimeSpan.Zero, Initial);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(KickReason.AnotherLogin, false)]
    [InlineData(KickReason.MobileExclusion, false)]
    [InlineData(KickReason.SessionTimeout, true)]
    [InlineData(KickReason.LoggedOut, false)]
    [InlineData(KickReason.EdgeDraining, true)]
    public void Reconnects_unless_another_session_took_over_or_the_user_logged_out(KickReason? kick, bool expected)
    {
        Assert.Equal(expected, ReconnectRules.ShouldReconnect(reconnectEnabled: true, kick));
        Assert.False(ReconnectRules.ShouldReconnect(reconnectEnabled: false, kick));
    }
}
