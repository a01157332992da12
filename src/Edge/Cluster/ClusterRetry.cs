using Orleans.Runtime;

namespace AppMsg.Edge.Cluster;

/// <summary>
/// Rides a call through a silo's death: a call that failed because the cluster could not reach its grain (the silo
/// holding it died and is not yet declared dead, a gateway went away) is tried again, with a short back-off, until it
/// succeeds or <see cref="Bound"/> has passed; then the caller gets the failure (<c>unavailable</c>). Refusals
/// (<see cref="AppMsgException"/>, a storage outage among them) are never retried. Calls that store something must be
/// idempotent: message sends carry a client message id for that. A try that gets no answer in <see cref="AttemptTimeout"/>
/// counts as failed (and is tried again, the first try possibly still completing: hence idempotent calls only).
/// </summary>
public static class ClusterRetry
{
    /// <summary>How long a call keeps being tried; a silo's death is detected well within it.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long one try is awaited: a request already on its way to a silo that then died is never answered (Orleans
    /// would wait its 30 s response timeout), so it is abandoned and tried again once the cluster has moved on.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        var started = Environment.TickCount64;
        var pause = FirstPause;
        while (true)
        {
            Task<T>? attempt = null;
            try
            {
                attempt = call();
                return await attempt.WaitAsync(AttemptTimeout, cancellationToken);
            }
            catch (Exception e) when (IsTransient(e) && Observe(attempt) && Environment.TickCount64 - started + pause.TotalMilliseconds < Bound.TotalMilliseconds
                && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    public static Task RunAsync(Func<Task> call, CancellationToken cancellationToken = default) =>
        RunAsync(async () => { await call(); return true; }, cancellationToken);

    /// <summary>
    /// The client message id a send is stored under, so that trying it again cannot store it twice: the caller's, or one
    /// the edge makes (marked <c>~edge:</c>, which callers' ids cannot collide with in practice).
    /// </summary>
    public static string RepeatableClientMsgId(string? given) => given ?? "~edge:" + Ids.New();

    /// <summary>An abandoned try may still fail later; its failure is observed, not left to the finalizer.</summary>
    private static bool Observe(Task? attempt)
    {
        attempt?.Ignore();
        return true;
    }

    /// <summary>True when the cluster or its storage cannot answer now (the caller is told <c>unavailable</c>).</summary>
    public static bool IsUnavailable(Exception e) => IsTransient(e) || e is AppMsgException { Code: ErrorCodes.Unavailable };

    /// <summary>True for failures of the cluster's plumbing that a later try can get past.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        AppMsgException => false,
        OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException => true,
        TimeoutException => true,
        OrleansException orleans => orleans.InnerException is null || IsTransient(orleans.InnerException),
        _ => false,
    };
}
