namespace AppMsg.Bench.Faults;

/// <summary>
/// One send of the suite, as the oracle records it: what, to whom, through which edge, when, and the answer
/// (HTTP 200 with timeline and seq, or the refusal's status and problem code). Filled by the sender in place.
/// </summary>
public struct SentMessage
{
    /// <summary>HTTP status of a send that got no answer: the request timed out.</summary>
    public const int TimedOut = -1;

    /// <summary>HTTP status of a send that got no answer: the connection failed.</summary>
    public const int TransportError = 0;

    public MessageKind Kind;

    /// <summary>The recipient device (direct, session) or qun index.</summary>
    public int Target;

    /// <summary>Session push: when the targeted session registered (identifies it among the device's connections).</summary>
    public long SessionFrom;

    public byte Edge;

    /// <summary>Stopwatch timestamps: request started, answer (or failure) received.</summary>
    public long SentAt;

    public long AnsweredAt;

    /// <summary>The HTTP status, or <see cref="TimedOut"/> / <see cref="TransportError"/>; 0 while unanswered.</summary>
    public int Status;

    /// <summary>The problem's <c>code</c> of a refusal (or "timeout", "transport"), null when accepted.</summary>
    public string? Code;

    /// <summary>The stored seq from the answer; 0 when none (not accepted, or a live-only push).</summary>
    public long Seq;

    /// <summary>True when the answer was 200 with a result for the target.</summary>
    public bool Accepted;

    /// <summary>True once the send has completed (accepted or not).</summary>
    public bool Done;
}
