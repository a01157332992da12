namespace AppMsg.BackendProbe;

/// <summary>Keeps trying to reach the cluster (it may start later, or restart underneath the probe).</summary>
public sealed class RetryForever : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }
}
