using Orleans;

namespace AppMsg.Edge.Cluster;

/// <summary>
/// Keeps an edge trying to reach the cluster at start instead of giving up: silos may start after
/// edges, or restart underneath them. Logs the first failure and then every tenth.
/// </summary>
public sealed partial class RetryForeverConnectionFilter(ILogger<RetryForeverConnectionFilter> logger) : IClientConnectionRetryFilter
{
    private int attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = ++attempts;
        if (attempt == 1 || attempt % 10 == 0)
        {
            LogRetry(logger, attempt, exception.Message);
        }

        await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster not reachable yet (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason);
}
