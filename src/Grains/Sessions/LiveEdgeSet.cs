using AppMsg.Sessions;

namespace AppMsg.Grains.Sessions;

/// <summary>A silo's copy of the registry's live edges.</summary>
public sealed class LiveEdgeSet
{
    /// <summary>Nothing read yet: no edge is known, and none may be taken for dead either.</summary>
    public static readonly LiveEdgeSet Unknown = new([], known: false);

    private readonly Dictionary<string, LiveEdge> byId;
    private readonly Dictionary<string, string> processes;

    public LiveEdgeSet(IReadOnlyList<LiveEdge> edges, bool known = true)
    {
        byId = new Dictionary<string, LiveEdge>(edges.Count, StringComparer.Ordinal);
        processes = new Dictionary<string, string>(edges.Count, StringComparer.Ordinal);
        var observers = new Dictionary<string, IEdgeObserver>(edges.Count, StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            byId[edge.EdgeId] = edge;
            processes[edge.EdgeId] = $"{edge.EdgeId}#{edge.Incarnation}";
            observers[edge.EdgeId] = edge.Observer;
        }

        Observers = observers;
        IsKnown = known;
    }

    /// <summary>False until the registry has answered once: then no session may be dropped for its edge's sake.</summary>
    public bool IsKnown { get; }

    /// <summary>The live edges' observers by edge id.</summary>
    public IReadOnlyDictionary<string, IEdgeObserver> Observers { get; }

    public IEnumerable<LiveEdge> All => byId.Values;

    public bool Contains(string edgeId) => byId.ContainsKey(edgeId);

    /// <summary>
    /// The edge's current process (its id and incarnation): what an <see cref="EdgeOutboxes"/> queue follows, so that a
    /// restarted edge starts with a queue of its own, never behind a call to its earlier run.
    /// </summary>
    public string ProcessOf(string edgeId) => processes.TryGetValue(edgeId, out var process) ? process : edgeId;

    /// <summary>True when this copy has the edge's run <paramref name="incarnation"/> (any run when it is null).</summary>
    public bool Knows(string edgeId, string? incarnation) =>
        byId.TryGetValue(edgeId, out var edge) && (incarnation is null || edge.Incarnation == incarnation);

    /// <summary>True when the session's edge is live and still the run of the process that registered it.</summary>
    public bool Holds(SessionInfo session) =>
        byId.TryGetValue(session.EdgeId, out var edge)
        && (session.EdgeIncarnation is null || edge.Incarnation.Length == 0 || edge.Incarnation == session.EdgeIncarnation);

    /// <summary>
    /// True when the session is certainly gone: its edge died or restarted (never while nothing is known, and never
    /// for a session of a later run of its edge than this copy knows: the copy is older than that run's first heartbeat).
    /// </summary>
    public bool HasLost(SessionInfo session) => IsKnown && !Holds(session) && !IsOfLaterRun(session);

    // Incarnations are generated ids, which begin with their run's start time in milliseconds: a later run sorts after.
    private bool IsOfLaterRun(SessionInfo session) =>
        session.EdgeIncarnation is { } incarnation && byId.TryGetValue(session.EdgeId, out var edge)
        && string.CompareOrdinal(incarnation, edge.Incarnation) > 0;
}
