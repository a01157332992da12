using AppMsg.Edge.Cluster;
using Orleans.Runtime;

namespace AppMsg.Edge.Tests;

public sealed class ClusterRetryTests
{
    [Fact]
    public async Task A_call_the_cluster_could_not_route_is_tried_again_until_it_succeeds()
    {
        var tries = 0;
        var answer = await ClusterRetry.RunAsync(() => ++tries < 3 ? throw new SiloUnavailableException("the silo died") : Task.FromResult(42));

        Assert.Equal(42, answer);
        Assert.Equal(3, tries);
    }

    [Fact]
    public async Task A_refusal_is_never_tried_again()
    {
        var tries = 0;
        await Assert.ThrowsAsync<AppMsgException>(() => ClusterRetry.RunAsync(() =>
        {
            tries++;
            return Task.FromException<int>(new AppMsgException(ErrorCodes.Unavailable, "the database is down"));
        }));

        Assert.Equal(1, tries);
    }

    [Fact]
    public async Task A_try_that_gets_no_answer_is_abandoned_and_tried_again()
    {
        var tries = 0;
        var answer = await ClusterRetry.RunAsync(() => ++tries == 1 ? new TaskCompletionSource<int>().Task : Task.FromResult(7));

        Assert.Equal(7, answer);
        Assert.Equal(2, tries);
    }

    [Fact]
    public async Task The_failure_reaches_the_caller_once_the_bound_has_passed()
    {
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            ClusterRetry.RunAsync(() => Task.FromException<int>(new SiloUnavailableException("no gateway"))));

        var took = DateTime.UtcNow - started;
        Assert.InRange(took, ClusterRetry.Bound - TimeSpan.FromSeconds(2), ClusterRetry.Bound + TimeSpan.FromSeconds(2));
    }
}
