namespace AppMsg.Backends;

/// <summary>A webhook delivery that failed every attempt.</summary>
/// <param name="Id">Its id, to replay it.</param>
/// <param name="Kind"><c>message</c> or <c>session</c>.</param>
/// <param name="Seq">The upstream seq of a message; for a session event its seq in the tenant's session-events timeline.</param>
/// <param name="Body">The JSON body that was POSTed (UTF-8).</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="LastError">Why the last attempt failed (an HTTP status, a timeout, a connection error).</param>
/// <param name="FailedAt">When the last attempt failed.</param>
[GenerateSerializer, Immutable]
public sealed record DeadLetter(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] long Seq,
    [property: Id(3)] byte[] Body,
    [property: Id(4)] int Attempts,
    [property: Id(5)] string LastError,
    [property: Id(6)] DateTimeOffset FailedAt);
