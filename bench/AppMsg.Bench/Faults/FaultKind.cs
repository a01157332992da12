namespace AppMsg.Bench.Faults;

/// <summary>A fault the suite injects (option <c>--faults</c>).</summary>
public enum FaultKind
{
    /// <summary><c>kill -9</c> of one silo, then a restart on the same ports.</summary>
    Silo,

    /// <summary><c>kill -9</c> of one edge (its devices reconnect through <c>GET /v1/edges/pick</c>), then a restart on the same ports.</summary>
    Edge,

    /// <summary><c>pg_ctl stop -m immediate</c>, then a start on the same port.</summary>
    Postgres,

    /// <summary>No traffic for longer than the grain collection age, then traffic again.</summary>
    Idle,
}
