namespace AppMsg.Backends;

/// <summary>The end of a CALLBACK.</summary>
/// <param name="CallbackId">The callback's id (also in the payload the terminal got).</param>
/// <param name="Outcome">Answered, timed out, offline or stored.</param>
/// <param name="Code">The CBRESP code (when answered).</param>
/// <param name="Answer">The terminal's answer bytes (when answered; may be empty).</param>
/// <param name="SessionId">The session that answered.</param>
[GenerateSerializer, Immutable]
public sealed record CallbackResult(
    [property: Id(0)] string CallbackId,
    [property: Id(1)] CallbackOutcome Outcome,
    [property: Id(2)] byte Code = 0,
    [property: Id(3)] byte[]? Answer = null,
    [property: Id(4)] string? SessionId = null);
