namespace AppMsg.Bench.Faults;

/// <summary>The figures of one fault-suite run; the defaults are the bench's (<c>./run.sh bench faults</c>).</summary>
public sealed record FaultSuiteOptions
{
    /// <summary>Users, one binary-TCP device each, spread over the two edges.</summary>
    public int Devices { get; init; } = 2000;

    /// <summary>Quns the users are split into (every user is in exactly one).</summary>
    public int Quns { get; init; } = 4;

    /// <summary>Messages per second, open loop.</summary>
    public int Rate { get; init; } = 200;

    /// <summary>The faults, injected one after another in this order.</summary>
    public IReadOnlyList<FaultKind> Faults { get; init; } = [FaultKind.Silo, FaultKind.Edge, FaultKind.Postgres, FaultKind.Idle];

    /// <summary>Seconds of steady traffic before the first fault and after each one.</summary>
    public int SteadySeconds { get; init; } = 30;

    /// <summary>Seconds a killed silo or edge, or the stopped database, stays down before it is started again.</summary>
    public int DownSeconds { get; init; } = 5;

    /// <summary>Seconds without traffic in the idle fault; longer than <see cref="GrainCollectionAgeSeconds"/>.</summary>
    public int IdleSeconds { get; init; } = 45;

    /// <summary>The silos' <c>APPMSG_GRAIN_COLLECTION_AGE_SECONDS</c>.</summary>
    public int GrainCollectionAgeSeconds { get; init; } = 30;

    /// <summary>
    /// Seconds after a fault's injection within which misses are tolerated; a message sent later must be accepted and
    /// reach every connected recipient live.
    /// </summary>
    public int BoundSeconds { get; init; } = 10;

    /// <summary>How late a live delivery may arrive after the send was accepted and still count as live.</summary>
    public int LiveDeadlineSeconds { get; init; } = 5;

    /// <summary>How many set-up calls (users, logins, qun members, first connects) run at once.</summary>
    public int SetupConcurrency { get; init; } = 64;

    /// <summary>Progress lines to stderr every second.</summary>
    public bool Progress { get; init; } = true;
}
