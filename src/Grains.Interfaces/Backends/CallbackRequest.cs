namespace AppMsg.Backends;

/// <summary>A CALLBACK to send (PROTOCOL.md type 7): a payload the terminal answers with CBRESP.</summary>
/// <param name="To"><c>&lt;sessionId&gt;@session</c> for one session, or <c>&lt;userId&gt;@user</c> for the user's terminals in <paramref name="TerminalTypes"/>.</param>
/// <param name="PayloadJson">The payload, one JSON value (at most 32 KiB); the terminal receives <c>{"id": &lt;callback id&gt;, "payload": ...}</c>.</param>
/// <param name="TerminalTypes">For a user: which terminal types receive it (a mask, 1 to 31).</param>
/// <param name="TimeoutMs">How long to wait for the answer (100 to 60,000).</param>
/// <param name="StoreIfOffline">
/// When no target session is online, store the callback and send it at the target's next REGISTER (the answer
/// then goes to <paramref name="AppId"/>'s upstream timeline) instead of answering <see cref="CallbackOutcome.Offline"/>.
/// Only for <c>@user</c> targets.
/// </param>
/// <param name="AppId">The app asking (required with <paramref name="StoreIfOffline"/>).</param>
/// <param name="StoreForSeconds">How long a stored callback waits for a REGISTER (60 to 2,592,000; default 86,400).</param>
[GenerateSerializer, Immutable]
public sealed record CallbackRequest(
    [property: Id(0)] string To,
    [property: Id(1)] string PayloadJson,
    [property: Id(2)] int TerminalTypes = 31,
    [property: Id(3)] int TimeoutMs = 60_000,
    [property: Id(4)] bool StoreIfOffline = false,
    [property: Id(5)] string? AppId = null,
    [property: Id(6)] int StoreForSeconds = 86_400);
