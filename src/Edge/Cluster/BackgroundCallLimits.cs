namespace AppMsg.Edge.Cluster;

/// <summary>
/// Bounds on the cluster calls the edge's background loops make. The host stops its services one after another
/// within <see cref="ShutdownTimeout"/> in all; a loop stuck in a call to a silo that died (Orleans answers such a call
/// only after its 30 s response timeout) would spend it all and leave the services stopped after it (the devices' kick,
/// the Orleans client) a cancelled token. So a loop's call gives up after <see cref="InLoop"/> or when the loop stops,
/// and the last call a service makes while stopping gets <see cref="WhileStopping"/>.
/// </summary>
public static class BackgroundCallLimits
{
    /// <summary>What the edge's host allows all its services together to stop.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A call made by a periodic loop; the next round retries.</summary>
    public static readonly TimeSpan InLoop = TimeSpan.FromSeconds(5);

    /// <summary>The last call a service makes while stopping (a flush, an unregistration): at most three of them fit.</summary>
    public static readonly TimeSpan WhileStopping = TimeSpan.FromSeconds(3);

    /// <summary>The call bounded for a periodic loop: a <see cref="TimeoutException"/> after <see cref="InLoop"/>, cancelled when the loop stops.</summary>
    public static Task InLoopOf(this Task call, CancellationToken stopping) => call.WaitAsync(InLoop, stopping);

    /// <summary>The call bounded for a service that is stopping.</summary>
    public static Task WhileStoppingBy(this Task call, CancellationToken stopping) => call.WaitAsync(WhileStopping, stopping);
}
