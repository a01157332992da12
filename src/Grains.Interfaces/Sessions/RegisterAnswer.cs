using AppMsg.Messaging;

namespace AppMsg.Sessions;

/// <summary>How one REGISTER went.</summary>
public enum RegisterOutcome
{
    /// <summary>The session is attached; the answer carries what replay starts from.</summary>
    Registered,

    /// <summary>The token is unknown, expired, revoked or another user's; nothing was attached.</summary>
    BadCredentials,

    /// <summary>Storage or the cluster did not answer; nothing stays attached (the terminal retries later).</summary>
    Unavailable,

    /// <summary>The token is valid but its tenant is disabled by the operator; nothing was attached.</summary>
    TenantDisabled,
}

/// <summary>The cluster's answer to one <see cref="RegisterTicket"/>.</summary>
/// <param name="Outcome">How it went.</param>
/// <param name="Session">The attached session (with its tenant), when registered.</param>
/// <param name="ReadingList">What the terminal reads and the audiences it joins, when registered.</param>
/// <param name="Cursors">Where its replay starts, by timeline, when registered.</param>
/// <param name="InboxHead">The last seq stored in the user's inbox, read after the attach (a later message reaches the
/// session live); null when it could not be read. Replay skips the inbox when its cursor is there already.</param>
[GenerateSerializer, Immutable]
public sealed record RegisterAnswer(
    [property: Id(0)] RegisterOutcome Outcome,
    [property: Id(1)] SessionInfo? Session = null,
    [property: Id(2)] ReadingList? ReadingList = null,
    [property: Id(3)] IReadOnlyDictionary<string, long>? Cursors = null,
    [property: Id(4)] long? InboxHead = null);
